package dev.wasched;

/** A contact, template, schedule, delivery or account that was asked for by its key does not exist. */
public class NotFoundException extends WaschedException {
    private final String kind;
    private final String key;

    public NotFoundException(String kind, String key) {
        super(kind + " not found: '" + key + "'");
        this.kind = kind;
        this.key = key;
    }

    /** What was looked for, such as {@code "contact"}. */
    public String kind() {
        return kind;
    }

    /** The id or name that was looked for. */
    public String key() {
        return key;
    }
}
