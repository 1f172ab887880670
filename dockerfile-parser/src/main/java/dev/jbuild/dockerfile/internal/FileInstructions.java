package dev.jbuild.dockerfile.internal;

import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.Node;
import java.util.List;
import java.util.regex.Pattern;

/** The instructions that put files into the image: COPY, ADD and VOLUME. */
final class FileInstructions {
    private static final Pattern HEREDOC_WORD = Pattern.compile("^([0-9]*)<<(-?)[\\t\\n\\f\\r ]*([^<]*)\\z");

    private final InstructionContext context;

    FileInstructions(InstructionContext context) {
        this.context = context;
    }

    Instruction.Copy copy(Node node) throws BuildFlags.FlagException {
        BuildFlags flags = new BuildFlags()
                .declare("from", BuildFlags.Type.STRING)
                .declare("chown", BuildFlags.Type.STRING)
                .declare("chmod", BuildFlags.Type.STRING)
                .declare("link", BuildFlags.Type.BOOL)
                .declare("parents", BuildFlags.Type.BOOL)
                .declare("exclude", BuildFlags.Type.STRINGS);
        flags.parse(node.flags());
        List<String> args = sourcesAndDestination(node, "COPY");
        return new Instruction.Copy(InstructionContext.range(node), node.original(), args.subList(0, args.size() - 1), args.getLast(),
                flags.string("from"), flags.string("chown"), flags.string("chmod"), flags.bool("link"),
                flags.bool("parents"), flags.strings("exclude"), node.heredocs());
    }

    Instruction.Add add(Node node) throws BuildFlags.FlagException {
        BuildFlags flags = new BuildFlags()
                .declare("chown", BuildFlags.Type.STRING)
                .declare("chmod", BuildFlags.Type.STRING)
                .declare("checksum", BuildFlags.Type.STRING)
                .declare("link", BuildFlags.Type.BOOL)
                .declare("keep-git-dir", BuildFlags.Type.BOOL)
                .declare("unpack", BuildFlags.Type.BOOL)
                .declare("exclude", BuildFlags.Type.STRINGS);
        flags.parse(node.flags());
        List<String> args = sourcesAndDestination(node, "ADD");
        return new Instruction.Add(InstructionContext.range(node), node.original(), args.subList(0, args.size() - 1), args.getLast(),
                flags.string("chown"), flags.string("chmod"), flags.string("checksum"), flags.bool("link"),
                flags.optionalBool("keep-git-dir"), flags.optionalBool("unpack"), flags.strings("exclude"),
                node.heredocs());
    }

    private List<String> sourcesAndDestination(Node node, String instruction) {
        List<String> args = node.args();
        if (args.size() < 2) {
            throw context.error(node, instruction + " requires at least two arguments, but only one was provided. "
                    + "Destination could not be determined");
        }
        if (!node.heredocs().isEmpty() && HEREDOC_WORD.matcher(args.getLast()).matches()) {
            throw context.error(node, args.getLast(), instruction + " cannot accept a heredoc as a destination");
        }
        return args;
    }

    Instruction.Volume volume(Node node) throws BuildFlags.FlagException {
        context.flagsNone(node);
        context.atLeastOne(node, "VOLUME");
        for (String path : node.args()) {
            if (GoText.trimSpace(path).isEmpty()) {
                throw context.error(node, "VOLUME specified can not be an empty string");
            }
        }
        return new Instruction.Volume(InstructionContext.range(node), node.original(), node.args());
    }
}
