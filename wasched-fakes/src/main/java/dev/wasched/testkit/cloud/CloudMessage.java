package dev.wasched.testkit.cloud;

import java.time.Instant;
import java.util.List;

/**
 * A message the fake Cloud API accepted, as the recipient would see it.
 *
 * @param id                 the {@code wamid.…} id the fake answered with
 * @param to                 the recipient's digits ({@code wa_id})
 * @param type               {@code text}, {@code image}, {@code video}, {@code audio}, {@code document} or
 *                           {@code template}
 * @param text               the text's body or the media's caption; for a template, its body with the parameters
 *                           filled in
 * @param mediaId            the uploaded media's id, else null
 * @param templateName       the template's name, else null
 * @param templateLanguage   the template's language code, else null
 * @param templateParameters the body parameters in order (empty unless a template)
 * @param callbackData       the request's {@code biz_opaque_callback_data}, else null
 * @param at                 when the fake accepted it
 */
public record CloudMessage(String id, String to, String type, String text, String mediaId, String templateName,
                           String templateLanguage, List<String> templateParameters, String callbackData, Instant at) {
    public CloudMessage {
        templateParameters = List.copyOf(templateParameters);
    }

    public boolean isTemplate() {
        return templateName != null;
    }
}
