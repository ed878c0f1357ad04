package dev.wasched.spring.boot;

import dev.wasched.Wasched;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.web.WaschedWeb;
import dev.wasched.web.WebConfig;
import jakarta.servlet.http.HttpServlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * wasched's web console and HTTP API ({@link WaschedWeb}) in the application's servlet container, at
 * {@code wasched.web.path} (default {@code /wasched}, the API below it at {@code /api/v1}), when wasched-web is on the
 * classpath and {@code wasched.web.enabled} is not false. The console has its own users: add the first administrator
 * through the {@link WaschedWeb} bean's {@code users()} or with {@code wasched user add}.
 */
@AutoConfiguration(after = WaschedAutoConfiguration.class)
@ConditionalOnClass({WaschedWeb.class, HttpServlet.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "wasched.web.enabled", matchIfMissing = true)
@ConditionalOnBean({Wasched.class, WaschedStore.class})
public class WaschedWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public WaschedWeb waschedWeb(Wasched wasched, WaschedStore store, ObjectProvider<WebConfig> config) {
        WaschedWeb.Builder web = WaschedWeb.builder().wasched(wasched).store(store);
        config.ifAvailable(web::config);
        return web.build();
    }

    @Bean
    @ConditionalOnMissingBean(name = "waschedWebServlet")
    public ServletRegistrationBean<HttpServlet> waschedWebServlet(WaschedWeb web, WaschedProperties properties) {
        ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(web.servlet(),
                mapping(properties.getWeb().getPath()));
        registration.setName("wasched");
        // the live events (/api/v1/events) are Server-Sent Events held open asynchronously
        registration.setAsyncSupported(true);
        return registration;
    }

    /** {@code /wasched}, {@code /wasched/} and {@code /wasched/*} all mean the prefix {@code /wasched/*}. */
    static String mapping(String path) {
        String p = path == null ? "" : path.strip();
        if (p.endsWith("/*")) {
            p = p.substring(0, p.length() - 2);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.isEmpty() && !p.startsWith("/")) {
            p = "/" + p;
        }
        return p + "/*";
    }
}
