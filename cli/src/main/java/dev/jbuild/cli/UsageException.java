package dev.jbuild.cli;

/** A command line that is well-formed for picocli but makes no sense (exit code 2). */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
