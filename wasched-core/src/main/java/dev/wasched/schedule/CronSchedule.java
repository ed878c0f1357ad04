package dev.wasched.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.field.expression.Every;
import com.cronutils.model.field.expression.FieldExpression;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/**
 * A cron expression of a {@link CronDialect} evaluated in wall-clock time of a zone.
 *
 * <p>cron-utils matches local date-times (we run it in UTC so no zone rules interfere); this class then maps each
 * match to an instant by two rules: a wall time that does not exist (clocks go forward) fires at the first valid
 * instant after the gap; a wall time that occurs twice (clocks go back) fires once, at its first occurrence, unless
 * the hour field is {@code *} or a step ({@code 0 * * * *}, {@code *&#47;15 *&#47;2 * * *}): such an expression
 * runs through the hours rather than at a time of day, so it fires in both passes of the repeated hour, as Vixie
 * cron runs its wildcard jobs. Several matches mapping to one instant fire once, because the next fire is always
 * strictly after the previous.
 */
final class CronSchedule {
    private static final int MAX_CANDIDATES = 10_000;
    private static final int MAX_LENGTH = 256;
    /**
     * Parsed expressions by dialect and text: every fan-out and every wake-up asks a cron trigger for its next fire,
     * and parsing is by far the dearest part of that. The zone is not part of the key because parsing does not
     * depend on it (it is applied in {@link #nextAfter}); invalid expressions are never cached, so they fail every
     * time.
     */
    private static final Cache<Key, CronSchedule> PARSED = Caffeine.newBuilder().maximumSize(1024).build();

    private record Key(CronDialect dialect, String expression) {
    }

    private final String expression;
    private final ExecutionTime executionTime;
    private final boolean throughTheHours;

    private CronSchedule(String expression, ExecutionTime executionTime, boolean throughTheHours) {
        this.expression = expression;
        this.executionTime = executionTime;
        this.throughTheHours = throughTheHours;
    }

    /** Parses and validates; throws {@link InvalidCronExpressionException} naming the dialect and the problem. */
    static CronSchedule parse(String expression, CronDialect dialect) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidCronExpressionException(String.valueOf(expression), dialect, "empty");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidCronExpressionException(expression.substring(0, 32) + "…", dialect,
                    "longer than " + MAX_LENGTH + " characters");
        }
        return PARSED.get(new Key(dialect, expression), k -> parseUncached(k.expression(), CronSyntax.of(k.dialect())));
    }

    private static CronSchedule parseUncached(String expression, CronSyntax syntax) {
        String expr = expression.strip().replaceAll("\\s+", " ");
        // The text is kept as written (a macro stays a macro); only what cron-utils parses is expanded.
        String fields = expr.startsWith("@") ? syntax.expandMacro(expr, p -> invalid(expression, syntax, p)) : expr;
        String[] parts = fields.split(" ");
        if (parts.length < syntax.minFields() || parts.length > syntax.fields.size()) {
            String expected = syntax.minFields() == syntax.fields.size() ? "" + syntax.fields.size()
                    : syntax.minFields() + " or " + syntax.fields.size();
            throw invalid(expression, syntax, "expected " + expected + " fields (" + syntax.layout() + "), found "
                    + parts.length + otherDialectHint(syntax, parts.length));
        }
        Cron cron;
        try {
            cron = new CronParser(syntax.definition).parse(fields).validate();
        } catch (RuntimeException e) {
            throw invalid(expression, syntax, diagnose(syntax, parts, e));
        }
        FieldExpression hour = cron.retrieve(CronFieldName.HOUR).getExpression();
        return new CronSchedule(expr, ExecutionTime.forCron(cron), hour instanceof Always || hour instanceof Every);
    }

    private static InvalidCronExpressionException invalid(String expression, CronSyntax syntax, String problem) {
        return new InvalidCronExpressionException(expression, syntax.dialect, problem);
    }

    private static String otherDialectHint(CronSyntax syntax, int found) {
        if (syntax == CronSyntax.UNIX && (found == 6 || found == 7)) {
            return " (a seconds field is Quartz or Spring syntax: read the expression as one of those)";
        }
        return syntax != CronSyntax.UNIX && found == 5 ? " (five fields are Unix syntax: read it as Unix)" : "";
    }

    /** Which field is wrong: each one is parsed on its own with the others matching anything. */
    private static String diagnose(CronSyntax syntax, String[] parts, RuntimeException whole) {
        for (int i = 0; i < parts.length; i++) {
            try {
                new CronParser(syntax.definition).parse(syntax.probe(parts, i)).validate();
            } catch (RuntimeException e) {
                return syntax.fields.get(i) + " '" + parts[i] + "': " + reason(e) + syntax.hintFor(parts[i]);
            }
        }
        if (syntax == CronSyntax.QUARTZ) {
            return "day-of-month '" + parts[3] + "', day-of-week '" + parts[5] + "': Quartz needs ? in exactly one of"
                    + " them (0 0 9 ? * MON, 0 0 9 1 * ?)";
        }
        return reason(whole);
    }

    private static String reason(RuntimeException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return msg.replace("Failed to parse cron expression. ", "");
    }

    String expression() {
        return expression;
    }

    /** The first fire strictly after {@code after}, in {@code zone}; empty when the expression never matches again. */
    Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        LocalDateTime cursor = LocalDateTime.ofInstant(after, zone);
        if (throughTheHours) {
            // In the first pass of a repeated hour, the second pass is still ahead in time but behind in wall-clock
            // time: look from the start of the repeated hour so its wall times are seen again.
            ZoneOffsetTransition next = zone.getRules().nextTransition(after);
            if (next != null && next.isOverlap() && !next.getDateTimeAfter().isAfter(cursor)) {
                cursor = next.getDateTimeAfter().minusSeconds(1);
            }
        }
        Instant best = null;
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            Optional<ZonedDateTime> match;
            try {
                match = executionTime.nextExecution(cursor.atZone(ZoneOffset.UTC));
            } catch (RuntimeException e) {
                break;
            }
            if (match.isEmpty()) {
                break;
            }
            cursor = match.get().toLocalDateTime();
            Instant first = WallClock.instantOf(cursor, zone);
            // A later wall time never comes sooner than this one's first occurrence.
            if (best != null && !first.isBefore(best)) {
                break;
            }
            if (first.isAfter(after)) {
                return Optional.of(first);
            }
            if (throughTheHours) {
                Optional<Instant> second = WallClock.secondOccurrence(cursor, zone).filter(s -> s.isAfter(after));
                if (second.isPresent() && (best == null || second.get().isBefore(best))) {
                    best = second.get();
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
