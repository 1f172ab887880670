/*
 * JSON (RFC 8259) as Go's encoding/json accepts it, for the exec form of RUN, CMD, ENTRYPOINT,
 * SHELL, ADD, COPY, VOLUME and HEALTHCHECK. A document that does not match is shell form; a
 * matching array whose elements are not all strings is an error the Java side reports.
 */
grammar JsonArray;

document : array EOF ;

array  : '[' (value (',' value)*)? ']' ;
object : '{' (member (',' member)*)? '}' ;
member : STRING ':' value ;

value
    : STRING    # stringValue
    | NUMBER    # otherValue
    | 'true'    # otherValue
    | 'false'   # otherValue
    | 'null'    # otherValue
    | object    # otherValue
    | array     # arrayValue
    ;

STRING : '"' (ESCAPE | ~["\\\u0000-\u001F])* '"' ;
NUMBER : '-'? ('0' | [1-9] [0-9]*) ('.' [0-9]+)? ([eE] [+-]? [0-9]+)? ;
WS     : [ \t\r\n]+ -> skip ;
// Any other character is a syntax error: the lexer must not silently drop it.
OTHER  : . ;

fragment ESCAPE : '\\' (["\\/bfnrt] | 'u' HEX HEX HEX HEX) ;
fragment HEX    : [0-9a-fA-F] ;
