package dev.wasched.spring.boot;

import com.mongodb.client.MongoClient;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.store.mongo.MongoStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store on the application's MongoClient. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({MongoStore.class, MongoClient.class})
@ConditionalOnBean(MongoClient.class)
class MongoStoreConfiguration {
    @Bean
    @ConditionalOnMissingBean(WaschedStore.class)
    MongoStore waschedStore(MongoClient client, WaschedProperties properties) {
        return new MongoStore(client, properties.getStore().getMongo().getDatabase());
    }
}
