package dev.wasched.whatsapp.cloud;

import dev.wasched.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message template approved for the business number in WhatsApp Manager, as the transport sends it outside the
 * 24-hour customer-service window. {@code body} is the template's body written as a wasched template, with named
 * placeholders where the approved template has {@code {{1}}}, {@code {{2}}}, … in the same order. A delivery whose
 * text is that body rendered (a schedule naming the wasched template with the same body) is sent as this template,
 * each placeholder's value becoming the body parameter of its position.
 *
 * @param name     the approved template's name, such as {@code order_shipped}
 * @param language its language code, such as {@code en_US}
 * @param body     the body with {@code {{placeholders}}}, such as {@code Your order {{order}} has shipped}
 */
public record CloudTemplate(String name, String language, String body) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,512}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Za-z]{2,4})?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]+?)\\s*}}");

    public CloudTemplate {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ValidationException("template.name",
                    "'" + name + "' is not a WhatsApp template name (lower-case letters, digits and underscores)");
        }
        if (language == null || !LANGUAGE.matcher(language).matches()) {
            throw new ValidationException("template.language", "'" + language + "' is not a language code like en_US");
        }
        if (body == null || body.isBlank()) {
            throw new ValidationException("template.body", "template " + name + " has no body");
        }
    }

    /** The placeholders' names in the order they appear: parameter 1, 2, … */
    public List<String> placeholders() {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(body);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The body parameters, in order, when {@code text} is this body rendered; empty when it is not. A value never
     * spans a line break unless the body's literal text around it does.
     */
    public Optional<List<String>> parametersOf(String text) {
        Matcher m = pattern().matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
            values.add(m.group(i));
        }
        return Optional.of(values);
    }

    private Pattern pattern() {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(body);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(body.substring(last, m.start()))).append("(.+?)");
            last = m.end();
        }
        regex.append(Pattern.quote(body.substring(last)));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
