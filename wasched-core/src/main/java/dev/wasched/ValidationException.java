package dev.wasched;

/** Input that breaks a documented rule; the message names the field and the rule. Nothing was stored. */
public class ValidationException extends WaschedException {
    private final String field;

    public ValidationException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The field or argument that was rejected. */
    public String field() {
        return field;
    }
}
