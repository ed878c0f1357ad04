package dev.wasched.spring.boot;

import dev.wasched.Wasched;
import dev.wasched.spring.boot.internal.WaschedHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code wasched} health component ({@code /actuator/health/wasched}): {@code Wasched.health()} with each
 * account, the store and the queue. DOWN when the store is unreachable; a DEGRADED wasched (an account waiting for a
 * QR scan, UNCERTAIN deliveries) reports UP with {@code "wasched": "DEGRADED"} and its reasons, because an account
 * that needs a person is no reason to restart the application or take it out of a load balancer.
 */
@AutoConfiguration(after = WaschedAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Wasched.class)
public class WaschedHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "waschedHealthIndicator")
    public HealthIndicator waschedHealthIndicator(Wasched wasched) {
        return new WaschedHealthIndicator(wasched);
    }
}
