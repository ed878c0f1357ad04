package dev.wasched.account;

import dev.wasched.ValidationException;
import dev.wasched.policy.PacingPolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to register: {@code AccountSpec.builder("shop-2").kind("whatsapp-web").setting("expectedNumber",
 * "+4915112345678").pacing(PacingPolicy.DEFAULT).build()}.
 *
 * @param pacing the account's own pacing, or null for the engine's default
 */
public record AccountSpec(String name, String kind, Map<String, String> settings, PacingPolicy pacing) {
    public AccountSpec {
        name = Account.checkName(name);
        if (kind == null || kind.isBlank()) {
            throw new ValidationException("kind", "is required (the transport kind that runs the account)");
        }
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        settings.forEach((k, v) -> {
            if (k.isBlank() || v == null) {
                throw new ValidationException("settings", "a setting needs a name and a value, got '" + k + "'");
            }
        });
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private String kind;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private PacingPolicy pacing;

        private Builder(String name) {
            this.name = name;
        }

        public Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public Builder settings(Map<String, String> values) {
            settings.putAll(values);
            return this;
        }

        public Builder pacing(PacingPolicy policy) {
            this.pacing = policy;
            return this;
        }

        public AccountSpec build() {
            return new AccountSpec(name, kind, settings, pacing);
        }
    }
}
