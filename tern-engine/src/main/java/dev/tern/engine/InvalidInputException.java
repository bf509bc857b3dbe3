package dev.tern.engine;

import java.util.List;

/** An input or event payload that breaks its schema; each violation names the field. */
public final class InvalidInputException extends TernException {
    private static final long serialVersionUID = 1L;
    private final transient List<Violation> violations;

    public InvalidInputException(String message, List<Violation> violations) {
        super(message);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
