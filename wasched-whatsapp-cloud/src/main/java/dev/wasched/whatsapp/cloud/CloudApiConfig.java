package dev.wasched.whatsapp.cloud;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Settings of one {@link CloudApiTransport}: one business phone number of the WhatsApp Business Platform.
 *
 * @param account            the wasched account name it serves
 * @param phoneNumberId      the business phone number's id (WhatsApp Manager, API setup), not the number itself
 * @param accessToken        a system user's access token with {@code whatsapp_business_messaging} permission
 * @param apiVersion         the Graph API version, such as {@code v23.0}
 * @param baseUrl            the Graph API's root ({@code https://graph.facebook.com}; a fake's URL in tests)
 * @param connectTimeout     how long a connection may take (a send that could not connect was not sent)
 * @param requestTimeout     how long an answer may take; a send without an answer is of unknown outcome
 * @param maxConcurrentSends how many sends at once (each an HTTP request)
 * @param messagesPerSecond  the most messages this transport starts per second, Meta's throughput for the number
 *                           (80 by default; higher once Meta raised it); 0 for no limit
 * @param templates          approved templates for messages outside the 24-hour window (see {@link CloudTemplate})
 * @param serviceWindow      what to do with free-form messages outside the window
 * @param webhook            where this number's status updates and incoming messages arrive, or null (no acks,
 *                           no replies, and no window known: then only templates go out under {@code ENFORCE})
 */
public record CloudApiConfig(String account, String phoneNumberId, Secret accessToken, String apiVersion, URI baseUrl,
                             Duration connectTimeout, Duration requestTimeout, int maxConcurrentSends,
                             int messagesPerSecond, List<CloudTemplate> templates, ServiceWindowPolicy serviceWindow, CloudWebhook webhook) {
    public static final String DEFAULT_API_VERSION = "v23.0";
    public static final URI DEFAULT_BASE_URL = URI.create("https://graph.facebook.com");
    /**
     * Sends at once by default: Meta's default throughput is 80 messages per second per number; with about 200 ms
     * per request, 16 requests in flight reach it.
     */
    public static final int DEFAULT_CONCURRENT_SENDS = 16;
    /** Meta's default throughput of a business number, in messages per second. */
    public static final int DEFAULT_MESSAGES_PER_SECOND = 80;
    private static final Pattern VERSION = Pattern.compile("v\\d{1,3}\\.\\d{1,2}");
    private static final Pattern ID = Pattern.compile("\\d{5,20}");

    public CloudApiConfig {
        if (account == null || account.isBlank()) {
            throw new ValidationException("account", "is required");
        }
        if (phoneNumberId == null || !ID.matcher(phoneNumberId).matches()) {
            throw new ValidationException("phoneNumberId",
                    "'" + phoneNumberId + "' is not a phone number id (digits, as WhatsApp Manager shows it)");
        }
        if (accessToken == null) {
            throw new ValidationException("accessToken", "is required");
        }
        if (apiVersion == null || !VERSION.matcher(apiVersion).matches()) {
            throw new ValidationException("apiVersion", "'" + apiVersion + "' is not a Graph API version like v23.0");
        }
        if (baseUrl == null || !("https".equals(baseUrl.getScheme()) || "http".equals(baseUrl.getScheme()))) {
            throw new ValidationException("baseUrl", "must be an http(s) URL, was " + baseUrl);
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new ValidationException("connectTimeout", "must be positive");
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new ValidationException("requestTimeout", "must be positive");
        }
        if (maxConcurrentSends < 1 || maxConcurrentSends > 256) {
            throw new ValidationException("maxConcurrentSends", "must be 1 to 256, was " + maxConcurrentSends);
        }
        if (messagesPerSecond < 0 || messagesPerSecond > 10_000) {
            throw new ValidationException("messagesPerSecond", "must be 0 (no limit) to 10000, was " + messagesPerSecond);
        }
        templates = List.copyOf(templates == null ? List.of() : templates);
        Set<String> names = new HashSet<>();
        for (CloudTemplate t : templates) {
            if (!names.add(t.name() + "/" + t.language())) {
                throw new ValidationException("templates", "template " + t.name() + " (" + t.language() + ") is listed twice");
            }
        }
        serviceWindow = serviceWindow == null ? ServiceWindowPolicy.ENFORCE : serviceWindow;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "CloudApiConfig[account=" + account + ", phoneNumberId=" + phoneNumberId + ", apiVersion=" + apiVersion
                + ", baseUrl=" + baseUrl + ", messagesPerSecond=" + messagesPerSecond + ", templates=" + templates.size() + ", serviceWindow=" + serviceWindow + "]";
    }

    public static final class Builder {
        private String account;
        private String phoneNumberId;
        private Secret accessToken;
        private String apiVersion = DEFAULT_API_VERSION;
        private URI baseUrl = DEFAULT_BASE_URL;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxConcurrentSends = DEFAULT_CONCURRENT_SENDS;
        private int messagesPerSecond = DEFAULT_MESSAGES_PER_SECOND;
        private final List<CloudTemplate> templates = new ArrayList<>();
        private ServiceWindowPolicy serviceWindow = ServiceWindowPolicy.ENFORCE;
        private CloudWebhook webhook;

        public Builder account(String account) {
            this.account = account;
            return this;
        }

        public Builder phoneNumberId(String id) {
            this.phoneNumberId = id;
            return this;
        }

        public Builder accessToken(Secret token) {
            this.accessToken = token;
            return this;
        }

        public Builder apiVersion(String version) {
            this.apiVersion = version;
            return this;
        }

        public Builder baseUrl(String url) {
            try {
                this.baseUrl = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("baseUrl", "'" + url + "' is not a URL");
            }
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder maxConcurrentSends(int n) {
            this.maxConcurrentSends = n;
            return this;
        }

        /** Meta's throughput for the number (default 80); 0 turns the limit off. */
        public Builder messagesPerSecond(int n) {
            this.messagesPerSecond = n;
            return this;
        }

        public Builder template(CloudTemplate template) {
            this.templates.add(template);
            return this;
        }

        public Builder template(String name, String language, String body) {
            return template(new CloudTemplate(name, language, body));
        }

        public Builder serviceWindow(ServiceWindowPolicy policy) {
            this.serviceWindow = policy;
            return this;
        }

        public Builder webhook(CloudWebhook webhook) {
            this.webhook = webhook;
            return this;
        }

        public CloudApiConfig build() {
            return new CloudApiConfig(account, phoneNumberId, accessToken, apiVersion, baseUrl, connectTimeout,
                    requestTimeout, maxConcurrentSends, messagesPerSecond, templates, serviceWindow, webhook);
        }
    }
}
