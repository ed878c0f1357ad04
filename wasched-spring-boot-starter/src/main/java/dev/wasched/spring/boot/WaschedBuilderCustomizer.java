package dev.wasched.spring.boot;

import dev.wasched.WaschedBuilder;

/**
 * Adjusts the auto-configured {@code Wasched} before it is built, after the {@code wasched.*} properties were applied:
 * for what properties cannot say (a transport given in code, a clock, a retry policy, reply keywords). Every bean of
 * this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface WaschedBuilderCustomizer {
    void customize(WaschedBuilder builder);
}
