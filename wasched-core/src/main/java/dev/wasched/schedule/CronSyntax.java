package dev.wasched.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** What a dialect accepts: cron-utils' definition of it, the names of its fields, and its macros. */
enum CronSyntax {
    UNIX(CronDialect.UNIX, CronType.UNIX, false,
            List.of("minute", "hour", "day-of-month", "month", "day-of-week")),
    QUARTZ(CronDialect.QUARTZ, CronType.QUARTZ, true,
            List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week", "year")),
    // SPRING53, not SPRING: Spring 5.3 added L, W and #, and that is the syntax Spring has accepted since.
    SPRING(CronDialect.SPRING, CronType.SPRING53, false,
            List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week"));

    /** Vixie cron's macros as five Unix fields; Spring means the same with a seconds field of 0 in front. */
    private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final String MACRO_NAMES = "@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly";
    /** L, W, # and ? as Quartz and Spring use them; day and month names (JUL, WED) are not matched. */
    private static final Pattern QUARTZ_ONLY = Pattern.compile("[?#]|(?<![A-Za-z])(L|LW)(?![A-Za-z])|\\dW(?![A-Za-z])");

    final CronDialect dialect;
    final CronDefinition definition;
    /** Whether the last field (the year) may be left out. */
    final boolean optionalLast;
    final List<String> fields;

    CronSyntax(CronDialect dialect, CronType type, boolean optionalLast, List<String> fields) {
        this.dialect = dialect;
        this.definition = CronDefinitionBuilder.instanceDefinitionFor(type);
        this.optionalLast = optionalLast;
        this.fields = fields;
    }

    static CronSyntax of(CronDialect dialect) {
        return valueOf(dialect.name());
    }

    /** The fields, for error messages: "second minute … day-of-week [year]". */
    String layout() {
        String names = String.join(" ", fields);
        if (optionalLast) {
            String last = fields.get(fields.size() - 1);
            names = names.substring(0, names.length() - last.length()) + "[" + last + "]";
        }
        return names;
    }

    int minFields() {
        return optionalLast ? fields.size() - 1 : fields.size();
    }

    /** The fields a macro stands for; {@code problem} is thrown with what is wrong when this dialect lacks it. */
    String expandMacro(String macro, java.util.function.Function<String, RuntimeException> problem) {
        String unix = MACROS.get(macro.toLowerCase(Locale.ROOT));
        if (this == QUARTZ) {
            throw problem.apply("Quartz has no macros such as " + macro + "; write the fields (" + layout()
                    + "), or read it as Unix or Spring");
        }
        if (unix == null) {
            throw problem.apply("unknown macro " + macro + " (known: " + MACRO_NAMES + ")");
        }
        return this == SPRING ? "0 " + unix : unix;
    }

    /** A hint when a Unix field uses Quartz or Spring syntax, else empty. */
    String hintFor(String field) {
        return this == UNIX && QUARTZ_ONLY.matcher(field).find()
                ? " (L, W, # and ? are Quartz and Spring syntax: read the expression as one of those)"
                : "";
    }

    /**
     * {@code fields} with field {@code index} kept and every other one matching anything, so parsing it tells
     * whether that one field is wrong. Quartz wants ? in exactly one of its day fields.
     */
    String probe(String[] parts, int index) {
        String[] probe = new String[parts.length];
        java.util.Arrays.fill(probe, "*");
        probe[index] = parts[index];
        if (this == QUARTZ) {
            int dom = fields.indexOf("day-of-month");
            int dow = fields.indexOf("day-of-week");
            int other = index == dom ? dow : dom;
            probe[other] = (index == dom || index == dow) && parts[index].equals("?") ? "*" : "?";
        }
        return String.join(" ", probe);
    }
}
