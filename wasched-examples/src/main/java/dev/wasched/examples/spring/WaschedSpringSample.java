package dev.wasched.examples.spring;

import dev.wasched.account.Account;
import dev.wasched.spi.transport.TransportFactory;
import dev.wasched.whatsapp.PlaywrightTransport;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * wasched in a Spring Boot application: the starter builds and runs it from {@code wasched.*} properties on the
 * DataSource of {@code spring.datasource.*}; this class only says how WhatsApp Web accounts are run. For example:
 *
 * <pre>
 * spring.datasource.url=jdbc:h2:./wasched-data/sample
 * wasched.session.key=${WASCHED_SESSION_KEY}
 * wasched.accounts.shop.kind=whatsapp-web
 * wasched.accounts.shop.settings.headless=false
 * </pre>
 */
@SpringBootApplication
public class WaschedSpringSample {

    public static void main(String[] args) {
        SpringApplication.run(WaschedSpringSample.class, args);
    }

    /**
     * Runs the accounts of kind {@code whatsapp-web} (the bean's name) in Chromium, each with its settings from
     * {@code wasched.accounts.NAME.settings.*}: {@code webUrl}, {@code browser}, {@code headless}, {@code userAgent},
     * {@code pollInterval} (ISO, {@code PT0.5S}), {@code expectedNumber}.
     */
    @Bean("whatsapp-web")
    TransportFactory whatsappWeb(@Value("${sample.browser-directory:wasched-data/browser}") Path browserDirectory) {
        return account -> new PlaywrightTransport(config(account, browserDirectory));
    }

    static PlaywrightTransportConfig config(Account account, Path browserDirectory) {
        Map<String, String> s = account.settings();
        PlaywrightTransportConfig.Builder b = PlaywrightTransportConfig.builder(account.name())
                .workDirectory(browserDirectory)
                .headless(Boolean.parseBoolean(s.getOrDefault("headless", "true")));
        if (s.containsKey("webUrl")) {
            b.webUrl(s.get("webUrl"));
        }
        if (s.containsKey("browser")) {
            b.browserExecutable(Path.of(s.get("browser")));
        }
        if (s.containsKey("userAgent")) {
            b.userAgent(s.get("userAgent"));
        }
        if (s.containsKey("pollInterval")) {
            b.pollInterval(Duration.parse(s.get("pollInterval")));
        }
        if (s.containsKey("expectedNumber")) {
            b.expectedNumber(s.get("expectedNumber"));
        }
        return b.build();
    }
}
