package dev.wasched.message;

import dev.wasched.ValidationException;

/** A template was rendered without a value for one of its placeholders. */
public class MissingTemplateVariableException extends ValidationException {
    private final String variable;

    public MissingTemplateVariableException(String template, String variable) {
        super("variables", "template '" + template + "' needs variable '" + variable + "', which has no value");
        this.variable = variable;
    }

    /** The placeholder that had no value. */
    public String variable() {
        return variable;
    }
}
