/*
 * The physical-line layer of a Dockerfile, as BuildKit's scanner sees it: every line (ending
 * in LF, or the last one without it) is exactly one token of one kind. A line whose first
 * non-space character is '#' is a comment line; a line of only whitespace is blank; anything
 * else is text. The logical-line layer (continuations with the escape character chosen by the
 * `escape` directive, heredoc bodies that swallow whole lines) depends on state a grammar
 * cannot carry without target code, so the Java driver builds it from these tokens.
 */
lexer grammar DockerfileLines;

// Same-length ties go to the rule listed first: a comment or blank line is never plain text.
COMMENT_LINE : SPACE* '#' ~[\n]* ;
BLANK_LINE   : SPACE+ ;
TEXT_LINE    : ~[\n]+ ;
NEWLINE      : '\n' ;

// Go's unicode.IsSpace, which BuildKit uses to find comments and blank lines.
fragment SPACE
    : [\t\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]
    ;
