package dev.wasched.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.Wasched;
import dev.wasched.account.Account;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.TransportFactory;
import dev.wasched.spring.boot.WaschedAutoConfiguration;
import dev.wasched.whatsapp.PlaywrightTransport;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The transport factory bean of docs/spring-boot.md in a context with the starter. Its accounts would open Chromium
 * on the real WhatsApp Web, so none is declared: the test takes the factory as the starter does and checks what it
 * makes of an account's settings ({@code WaschedSpringSampleTest} runs such a factory against the simulator).
 */
class DocSnippetsSpringBootTest {

    @Configuration(proxyBeanMethods = false)
    static class Transports {
        // docs:docs/spring-boot.md#spring-boot:begin
        @Bean("whatsapp-web")   // runs the accounts of kind whatsapp-web
        TransportFactory whatsappWeb() {
            return account -> new PlaywrightTransport(PlaywrightTransportConfig.builder(account.name())
                    .workDirectory(Path.of("data/browser"))
                    .expectedNumber(account.settings().get("expectedNumber"))   // wasched.accounts.shop.settings.*
                    .build());
        }
        // docs:docs/spring-boot.md#spring-boot:end

        @Bean
        DataSource dataSource() {
            HikariDataSource h2 = new HikariDataSource();
            h2.setJdbcUrl("jdbc:h2:mem:docs-spring-boot;DB_CLOSE_DELAY=-1");
            return h2;
        }
    }

    @Test
    void theFactoryBeanMakesAWhatsAppWebTransportFromTheAccountsSettings() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(WaschedAutoConfiguration.class))
                .withUserConfiguration(Transports.class)
                .withPropertyValues("wasched.default-region=DE")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Wasched.class);
                    TransportFactory factory = context.getBean("whatsapp-web", TransportFactory.class);
                    Account shop = new Account("shop", "whatsapp-web", Map.of("expectedNumber", "+4915112345678"),
                            null, Account.Status.ACTIVE, Instant.now(), Instant.now(), 1);
                    MessageTransport made = factory.create(shop);
                    assertThat(made).isInstanceOf(PlaywrightTransport.class);
                    PlaywrightTransportConfig config = ((PlaywrightTransport) made).config();
                    assertThat(config.account()).isEqualTo("shop");
                    assertThat(config.expectedNumber().e164()).isEqualTo("+4915112345678");
                    assertThat(config.workDirectory()).isEqualTo(Path.of("data/browser"));
                });
    }
}
