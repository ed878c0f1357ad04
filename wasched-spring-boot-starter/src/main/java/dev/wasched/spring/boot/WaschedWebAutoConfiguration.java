package dev.wasched.spring.boot;

import dev.wasched.Wasched;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.ValidationException;
import dev.wasched.access.Role;
import dev.wasched.web.UserDirectory;
import dev.wasched.web.UserExistsException;
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
 * classpath and {@code wasched.web.enabled} is not false. The console has its own users: the first administrator
 * comes from {@code wasched.web.admin.name} and {@code wasched.web.admin.password}, or from the {@link WaschedWeb}
 * bean's {@code users()}, or from {@code wasched user add}.
 */
@AutoConfiguration(after = WaschedAutoConfiguration.class)
@ConditionalOnClass({WaschedWeb.class, HttpServlet.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "wasched.web.enabled", matchIfMissing = true)
@ConditionalOnBean({Wasched.class, WaschedStore.class})
public class WaschedWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public WaschedWeb waschedWeb(Wasched wasched, WaschedStore store, ObjectProvider<WebConfig> config,
                                 WaschedProperties properties) {
        WaschedWeb.Builder web = WaschedWeb.builder().wasched(wasched).store(store);
        config.ifAvailable(web::config);
        WaschedWeb built = web.build();
        firstAdministrator(built.users(), properties.getWeb().getAdmin());
        return built;
    }

    /**
     * {@code wasched.web.admin.*}: the administrator made while the console has no user, so a fresh deployment can be
     * signed in to; once any user exists (made here, by another instance, or by hand) nothing is changed.
     */
    static void firstAdministrator(UserDirectory users, WaschedProperties.Admin admin) {
        if (admin.getName() == null || admin.getName().isBlank()) {
            return;
        }
        if (admin.getPassword() == null || admin.getPassword().isEmpty()) {
            throw new ValidationException("wasched.web.admin.password",
                    "is required with wasched.web.admin.name (from a secret, e.g. WASCHED_WEB_ADMIN_PASSWORD)");
        }
        if (!users.users().isEmpty()) {
            return;
        }
        try {
            users.addUser(admin.getName().strip(), Role.ADMIN, admin.getPassword().toCharArray(), "wasched.web.admin");
        } catch (UserExistsException e) {
            // another instance made it at the same moment
        }
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
