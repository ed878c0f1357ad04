package dev.wasched.internal.engine;

import dev.wasched.NotFoundException;
import dev.wasched.message.MessageContent;
import dev.wasched.message.Template;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.spi.store.TemplateRepository;
import java.util.HashMap;
import java.util.Map;

/** Turns a schedule's message into one recipient's content: template or inline text, contact values over schedule values. */
public final class MessageRenderer {
    private final TemplateRepository templates;

    public MessageRenderer(TemplateRepository templates) {
        this.templates = templates;
    }

    /** The body to render, read once per occurrence; a deleted template is reported by name. */
    public String body(ScheduledMessage message) {
        if (message.templateName() == null) {
            return message.text() == null ? "" : message.text();
        }
        return templates.findByName(message.templateName())
                .orElseThrow(() -> new NotFoundException("template", message.templateName())).body();
    }

    public MessageContent render(ScheduledMessage message, String body, Map<String, String> recipientValues) {
        Map<String, String> values = new HashMap<>(message.variables());
        values.putAll(recipientValues);
        String source = message.templateName() != null ? message.templateName() : "inline text";
        return new MessageContent(Template.render(source, body, values), message.media());
    }
}
