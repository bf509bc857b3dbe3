package dev.tern.engine;

/** No agent or workflow of that name (or not of that kind) is defined. */
public final class UnknownDefinitionException extends TernException {
    private static final long serialVersionUID = 1L;
    private final String name;

    public UnknownDefinitionException(String kind, String name) {
        super("no " + kind + " named '" + name + "' is defined");
        this.name = name;
    }

    public String name() {
        return name;
    }
}
