package dev.wasched.internal.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wasched.internal.time.Instants;
import dev.wasched.schedule.InvalidCronExpressionException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A Unix cron expression (minute hour day-of-month month day-of-week) evaluated in wall-clock time of a zone.
 *
 * <p>cron-utils matches local date-times (we run it in UTC so no zone rules interfere); this class then maps each
 * match to an instant by two rules: a wall time that occurs twice (clocks go back) fires once, at its first
 * occurrence; a wall time that does not exist (clocks go forward) fires at the first valid instant after the gap.
 * Several matches mapping to one instant fire once, because the next fire is always strictly after the previous.
 */
public final class CronSchedule {
    private static final CronDefinition UNIX = CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);
    private static final int MAX_CANDIDATES = 10_000;
    private static final int MAX_LENGTH = 256;
    /**
     * Parsed expressions by their text: every fan-out and every wake-up asks a cron trigger for its next fire, and
     * parsing is by far the dearest part of that. The zone is not part of the key because parsing does not depend on
     * it (it is applied in {@link #nextAfter}); invalid expressions are never cached, so they fail every time.
     */
    private static final Cache<String, CronSchedule> PARSED = Caffeine.newBuilder().maximumSize(1024).build();

    private final String expression;
    private final ExecutionTime executionTime;

    private CronSchedule(String expression, ExecutionTime executionTime) {
        this.expression = expression;
        this.executionTime = executionTime;
    }

    /** Parses and validates; throws {@link InvalidCronExpressionException} naming the problem. */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidCronExpressionException(String.valueOf(expression), "empty");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidCronExpressionException(expression.substring(0, 32) + "…", "longer than " + MAX_LENGTH + " characters");
        }
        return PARSED.get(expression, CronSchedule::parseUncached);
    }

    private static CronSchedule parseUncached(String expression) {
        String expr = expression.strip().replaceAll("\\s+", " ");
        if (expr.split(" ").length != 5) {
            throw new InvalidCronExpressionException(expression,
                    "expected 5 fields (minute hour day-of-month month day-of-week), found " + expr.split(" ").length);
        }
        try {
            Cron cron = new CronParser(UNIX).parse(expr).validate();
            return new CronSchedule(expr, ExecutionTime.forCron(cron));
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InvalidCronExpressionException(expression, msg);
        }
    }

    public String expression() {
        return expression;
    }

    /** The first fire strictly after {@code after}, in {@code zone}; empty when the expression never matches again. */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        LocalDateTime cursor = LocalDateTime.ofInstant(after, zone);
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            Optional<ZonedDateTime> match;
            try {
                match = executionTime.nextExecution(cursor.atZone(ZoneOffset.UTC));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
            if (match.isEmpty()) {
                return Optional.empty();
            }
            cursor = match.get().toLocalDateTime();
            Instant candidate = toInstant(cursor, zone);
            if (candidate.isAfter(after)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Instant toInstant(LocalDateTime local, ZoneId zone) {
        return Instants.atWallClock(local, zone);
    }
}
