package dev.wasched.schedule;

import dev.wasched.ValidationException;

/** A cron expression that cannot be parsed; the message names the expression and what is wrong with it. */
public class InvalidCronExpressionException extends ValidationException {
    private final String expression;

    public InvalidCronExpressionException(String expression, String problem) {
        super("cron", "invalid cron expression '" + expression + "': " + problem);
        this.expression = expression;
    }

    public String expression() {
        return expression;
    }
}
