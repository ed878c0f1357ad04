package dev.wasched.schedule;

import dev.wasched.ValidationException;
import dev.wasched.message.MediaAttachment;
import dev.wasched.message.MessageContent;
import dev.wasched.message.Template;
import java.util.Map;

/**
 * What a schedule sends: inline text or a stored template (by name), rendered per recipient with the contact's
 * variables ({@code name}, {@code phone}, custom fields) over the schedule's {@code variables}; optionally a media
 * file with the rendered text as caption.
 *
 * @param templateName null for inline text
 * @param text         inline text (may contain placeholders), null when a template is used
 */
public record ScheduledMessage(String templateName, String text, Map<String, String> variables, MediaAttachment media) {
    public ScheduledMessage {
        variables = Map.copyOf(variables == null ? Map.of() : variables);
        if (templateName != null) {
            Template.validateName(templateName);
            if (text != null) {
                throw new ValidationException("message", "give either a template or text, not both");
            }
        } else {
            if ((text == null || text.isBlank()) && media == null) {
                throw new ValidationException("text", "message is empty");
            }
            if (text != null && text.length() > MessageContent.MAX_TEXT) {
                throw new ValidationException("text", "message is " + text.length() + " characters, the limit is " + MessageContent.MAX_TEXT);
            }
            if (text != null && !text.isBlank()) {
                Template.validateBody("inline text", text);
            }
        }
    }

    public static ScheduledMessage text(String text) {
        return new ScheduledMessage(null, text, Map.of(), null);
    }

    public static ScheduledMessage template(String name, Map<String, String> variables) {
        return new ScheduledMessage(name, null, variables, null);
    }

    public ScheduledMessage withMedia(MediaAttachment attachment) {
        return new ScheduledMessage(templateName, text, variables, attachment);
    }
}
