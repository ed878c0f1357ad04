package dev.wasched.spring.boot;

import dev.wasched.spi.store.WaschedStore;
import dev.wasched.store.jdbc.JdbcStore;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store on the application's DataSource. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcStore.class)
@ConditionalOnBean(DataSource.class)
class JdbcStoreConfiguration {
    @Bean
    @ConditionalOnMissingBean(WaschedStore.class)
    JdbcStore waschedStore(DataSource dataSource, WaschedProperties properties) {
        WaschedProperties.Jdbc jdbc = properties.getStore().getJdbc();
        return JdbcStore.builder(dataSource).autoMigrate(jdbc.isAutoMigrate())
                .changeNotifications(jdbc.isChangeNotifications()).build();
    }
}
