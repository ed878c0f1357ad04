package dev.wasched.webhook;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a host registers: where to POST, which events, and the secret the requests are signed with.
 *
 * @param url    an absolute {@code http} or {@code https} URL with a host
 * @param events event type names ({@link WebhookEventTypes#ALL}); empty for every type, also those added later
 * @param secret the HMAC-SHA256 key both sides know (see {@link WebhookSignature})
 *               <p>Invalid values are refused with a {@link ValidationException} naming {@code url}, {@code events} or
 *               {@code secret}.
 */
public record WebhookSpec(URI url, Set<String> events, Secret secret) {
    public WebhookSpec {
        url = checkedUrl(url);
        events = checkedEvents(events);
        if (secret == null) {
            throw new ValidationException("secret", "is required");
        }
    }

    /** A spec from text; an unparsable URL is a {@link ValidationException} naming {@code url}. */
    public static WebhookSpec of(String url, Secret secret, String... events) {
        return new WebhookSpec(parse(url), new java.util.LinkedHashSet<>(java.util.Arrays.asList(events)), secret);
    }

    /** Whether an event of this type goes to the endpoint. */
    public boolean wants(String eventType) {
        return events.isEmpty() || events.contains(eventType);
    }

    static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new ValidationException("url", "is required");
        }
        try {
            return new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ValidationException("url", "is not a URL: '" + url + "'");
        }
    }

    private static URI checkedUrl(URI url) {
        if (url == null) {
            throw new ValidationException("url", "is required");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ValidationException("url", "must be an http or https URL, was '" + url + "'");
        }
        if (url.getHost() == null || url.getHost().isBlank()) {
            throw new ValidationException("url", "has no host: '" + url + "'");
        }
        return url;
    }

    private static Set<String> checkedEvents(Set<String> events) {
        Set<String> out = new TreeSet<>();
        for (String e : events == null ? Set.<String>of() : events) {
            if (!WebhookEventTypes.ALL.contains(e)) {
                throw new ValidationException("events", "unknown event type '" + e + "'; known: "
                        + WebhookEventTypes.ALL);
            }
            out.add(e);
        }
        return java.util.Collections.unmodifiableSet(out);
    }
}
