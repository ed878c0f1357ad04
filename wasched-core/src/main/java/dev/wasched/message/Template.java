package dev.wasched.message;

import dev.wasched.ValidationException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named message body with {@code {{placeholders}}}. A placeholder is a name of letters, digits, {@code _}, {@code .}
 * or {@code -} between double braces, with optional spaces: {@code {{ name }}}. Rendering without a value for a
 * placeholder fails with {@link MissingTemplateVariableException}; it never leaves a silent blank.
 *
 * @param name 1 to 64 lower-case letters, digits, {@code _} or {@code -}
 */
public record Template(String name, String body, Instant createdAt, Instant updatedAt, long version) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]{1,64})\\s*}}");

    public Template {
        validateName(name);
        validateBody(name, body);
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        updatedAt = (updatedAt == null ? createdAt : updatedAt).truncatedTo(ChronoUnit.MILLIS);
    }

    public static String validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ValidationException("template name", "invalid '" + name + "' (1 to 64 of a-z, 0-9, _ or -)");
        }
        return name;
    }

    /** Checks the body: not blank, within {@link MessageContent#MAX_TEXT}, and every <code>{{</code> closed properly. */
    public static void validateBody(String name, String body) {
        if (body == null || body.isBlank()) {
            throw new ValidationException("template body", "'" + name + "' is empty");
        }
        if (body.length() > MessageContent.MAX_TEXT) {
            throw new ValidationException("template body", "'" + name + "' is longer than " + MessageContent.MAX_TEXT + " characters");
        }
        String rest = PLACEHOLDER.matcher(body).replaceAll("");
        int open = rest.indexOf("{{");
        if (open >= 0) {
            throw new ValidationException("template body", "'" + name + "' has a malformed placeholder near '"
                    + rest.substring(open, Math.min(rest.length(), open + 20)) + "'");
        }
    }

    /** The placeholder names in order of first appearance. */
    public Set<String> variables() {
        return variables(body);
    }

    public static Set<String> variables(String body) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(body);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Renders the body with the given values. */
    public String render(Map<String, String> values) {
        return render(name, body, values);
    }

    /** Renders any body text; {@code source} names it in errors. */
    public static String render(String source, String body, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(body);
        StringBuilder out = new StringBuilder(body.length() + 32);
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new MissingTemplateVariableException(source, m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    public Template withBody(String newBody, Instant now) {
        return new Template(name, newBody, createdAt, now, version + 1);
    }
}
