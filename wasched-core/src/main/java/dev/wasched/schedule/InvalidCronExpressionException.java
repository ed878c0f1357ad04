package dev.wasched.schedule;

import dev.wasched.ValidationException;

/**
 * A cron expression that cannot be parsed; the message names the expression, the dialect it was read as, and what is
 * wrong with it (the cron field, where one field is at fault).
 */
public class InvalidCronExpressionException extends ValidationException {
    private final String expression;
    private final CronDialect dialect;

    public InvalidCronExpressionException(String expression, String problem) {
        this(expression, CronDialect.UNIX, problem);
    }

    public InvalidCronExpressionException(String expression, CronDialect dialect, String problem) {
        super("cron", "invalid cron expression '" + expression + "' (read as " + label(dialect) + "): " + problem);
        this.expression = expression;
        this.dialect = dialect;
    }

    /** UNIX reads as Unix. */
    private static String label(CronDialect dialect) {
        return dialect.name().charAt(0) + dialect.name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    public String expression() {
        return expression;
    }

    /** The dialect the expression was read as. */
    public CronDialect dialect() {
        return dialect;
    }
}
