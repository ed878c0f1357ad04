package dev.wasched.spring.boot;

import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.WaschedBuilder;
import dev.wasched.event.WaschedListener;
import dev.wasched.metrics.MetricsRecorder;
import dev.wasched.metrics.WaschedMetrics;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.transport.TransportFactory;
import dev.wasched.spring.boot.internal.WaschedFactory;
import dev.wasched.spring.boot.internal.ContextLifecycle;
import dev.wasched.spring.boot.internal.DeclaredAccounts;
import dev.wasched.telegram.TelegramController;
import dev.wasched.telegram.TelegramControllerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A {@link Wasched} from {@code wasched.*} properties, on a store made from the application's {@code DataSource}
 * (wasched-store-jdbc) or else its {@code MongoClient} (wasched-store-mongo), with the application's
 * {@link TransportFactory} beans (each runs the accounts of the kind named by its bean name), {@link WaschedListener}
 * beans, {@link WaschedBuilderCustomizer} beans and, when Micrometer has a {@code MeterRegistry}, wasched's metrics.
 * A {@code SmartLifecycle} bean starts it with the context and stops it gracefully; the Telegram controller
 * runs when {@code wasched.telegram.token} is set. Each bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "wasched.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WaschedProperties.class)
// Imported in this order so that a DataSource wins over a MongoClient when the application has both (top-level
// classes: Spring registers nested configuration classes before imports, in no order it promises).
@Import({JdbcStoreConfiguration.class, MongoStoreConfiguration.class,
        WaschedAutoConfiguration.MetricsConfiguration.class, WaschedAutoConfiguration.TelegramConfiguration.class})
public class WaschedAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public Wasched wasched(WaschedProperties properties, ObjectProvider<WaschedStore> store,
                           ListableBeanFactory beans, ObjectProvider<WaschedListener> listeners,
                           ObjectProvider<MetricsRecorder> metrics, ObjectProvider<WaschedBuilderCustomizer> customizers) {
        WaschedStore s = store.getIfAvailable();
        if (s == null) {
            throw new IllegalStateException("wasched needs a store: give the application a DataSource (with "
                    + "wasched-store-jdbc) or a MongoClient (with wasched-store-mongo), or declare a WaschedStore bean");
        }
        WaschedBuilder builder = WaschedFactory.builder(properties, s);
        BeanFactoryUtils.beansOfTypeIncludingAncestors(beans, TransportFactory.class).forEach(builder::transportFactory);
        listeners.orderedStream().forEach(builder::listener);
        metrics.ifAvailable(builder::metrics);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /**
     * Starts wasched with the context and registers the accounts the properties declare; stops it gracefully (sends
     * in flight finish within {@code wasched.shutdown-timeout}, claims and leases are handed back).
     */
    @Bean
    @ConditionalOnMissingBean(name = "waschedLifecycle")
    public SmartLifecycle waschedLifecycle(Wasched wasched, WaschedProperties properties) {
        return new ContextLifecycle("wasched", ContextLifecycle.WASCHED_PHASE, properties.isAutoStartup(), () -> {
            wasched.start();
            DeclaredAccounts.register(wasched, properties);
        }, wasched::close);
    }

    /** wasched's meters in the application's registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean(MetricsRecorder.class)
        WaschedMetrics waschedMetrics(MeterRegistry registry) {
            return new WaschedMetrics(registry);
        }
    }

    /** The Telegram controller, started and stopped with wasched. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TelegramController.class)
    @ConditionalOnProperty(name = "wasched.telegram.token")
    static class TelegramConfiguration {
        @Bean
        @ConditionalOnMissingBean
        TelegramController waschedTelegramController(Wasched wasched, WaschedProperties properties) {
            WaschedProperties.Telegram t = properties.getTelegram();
            TelegramControllerConfig.Builder config = TelegramControllerConfig.builder().token(Secret.of(t.getToken()))
                    .allowChats(t.getAllowedChats()).account(t.getAccount());
            if (t.getBaseUrl() != null) {
                config.baseUrl(t.getBaseUrl());
            }
            return new TelegramController(wasched, config.build());
        }

        @Bean
        @ConditionalOnMissingBean(name = "waschedTelegramLifecycle")
        SmartLifecycle waschedTelegramLifecycle(TelegramController controller, WaschedProperties properties) {
            return new ContextLifecycle("wasched-telegram", ContextLifecycle.ON_WASCHED_PHASE,
                    properties.isAutoStartup(), controller::start, controller::close);
        }
    }
}
