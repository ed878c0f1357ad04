/**
 * Spring Boot auto-configuration for wasched: {@link dev.wasched.spring.boot.WaschedProperties} ({@code wasched.*}),
 * the auto-configuration classes, and {@link dev.wasched.spring.boot.WaschedBuilderCustomizer} for what properties
 * cannot say. Everything in {@code internal} may change without notice.
 */
package dev.wasched.spring.boot;
