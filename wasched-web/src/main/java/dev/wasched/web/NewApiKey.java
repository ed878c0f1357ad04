package dev.wasched.web;

import dev.wasched.access.ApiKey;

/**
 * A key just made: {@code secret} is what the machine presents ({@code Authorization: Bearer SECRET}); it is not kept
 * and cannot be shown again.
 */
public record NewApiKey(ApiKey key, String secret) {
    @Override
    public String toString() {
        return "NewApiKey[key=" + key + "]";
    }
}
