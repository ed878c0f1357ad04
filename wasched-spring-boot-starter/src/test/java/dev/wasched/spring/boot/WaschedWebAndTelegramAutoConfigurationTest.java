package dev.wasched.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.telegram.TelegramController;
import dev.wasched.testkit.telegram.FakeTelegramBotApi;
import dev.wasched.access.Role;
import dev.wasched.access.User;
import dev.wasched.web.SignIn;
import dev.wasched.web.UserDirectory;
import dev.wasched.web.WaschedWeb;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class WaschedWebAndTelegramAutoConfigurationTest {
    private static final AutoConfigurations WASCHED = AutoConfigurations.of(WaschedAutoConfiguration.class,
            WaschedWebAutoConfiguration.class, WaschedHealthAutoConfiguration.class);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(WASCHED)
            .withUserConfiguration(WaschedAutoConfigurationTest.H2.class);

    @Test
    void theConsoleIsMountedAsyncSupportedAtItsPathAndAnswers() {
        web.withPropertyValues("wasched.web.path=/console/").run(context -> {
            assertThat(context).hasSingleBean(WaschedWeb.class);
            @SuppressWarnings("unchecked")
            ServletRegistrationBean<HttpServlet> registration = context.getBean("waschedWebServlet",
                    ServletRegistrationBean.class);
            assertThat(registration.getUrlMappings()).containsExactly("/console/*");
            assertThat(registration.isAsyncSupported()).isTrue();

            // the registered servlet is wasched's API: its description is open, the rest needs a user of its own
            assertThat(call(registration, "/openapi.json").getContentAsString()).contains("\"openapi\"");
            assertThat(call(registration, "/health").getStatus()).isEqualTo(401);
        });
    }

    private static MockHttpServletResponse call(ServletRegistrationBean<HttpServlet> registration, String api)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/console/api/v1" + api);
        request.setServletPath("/console");
        request.setPathInfo("/api/v1" + api);
        MockHttpServletResponse response = new MockHttpServletResponse();
        registration.getServlet().service(request, response);
        return response;
    }

    @Test
    void theFirstAdministratorIsMadeOnlyWhileTheConsoleHasNoUser() {
        web.withPropertyValues("wasched.web.admin.name=owner", "wasched.web.admin.password=correct horse battery")
                .run(context -> {
                    UserDirectory users = context.getBean(WaschedWeb.class).users();
                    assertThat(users.users()).singleElement().satisfies(u -> {
                        assertThat(u.name()).isEqualTo("owner");
                        assertThat(u.role()).isEqualTo(Role.ADMIN);
                    });
                    assertThat(users.signIn("owner", "correct horse battery".toCharArray()).outcome()).isEqualTo(SignIn.Outcome.SIGNED_IN);

                    // a later start with other values (as after a password change in the console) changes nothing
                    users.setPassword("owner", "changed in the console".toCharArray(), "owner");
                    WaschedWebAutoConfiguration.firstAdministrator(users, admin("root", "another password!"));
                    assertThat(users.users()).extracting(User::name).containsExactly("owner");
                    assertThat(users.signIn("owner", "changed in the console".toCharArray()).outcome()).isEqualTo(SignIn.Outcome.SIGNED_IN);
                });
        web.withPropertyValues("wasched.web.admin.name=owner").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("wasched.web.admin.password"));
    }

    private static WaschedProperties.Admin admin(String name, String password) {
        WaschedProperties.Admin admin = new WaschedProperties.Admin();
        admin.setName(name);
        admin.setPassword(password);
        return admin;
    }

    @Test
    void theConsoleDefaultsToWaschedAndIsLeftOutWhenDisabledOrWithoutAServletContainer() {
        web.run(context -> {
            ServletRegistrationBean<?> registration = context.getBean("waschedWebServlet", ServletRegistrationBean.class);
            assertThat(registration.getUrlMappings()).containsExactly("/wasched/*");
        });
        web.withPropertyValues("wasched.web.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(WaschedWeb.class);
            assertThat(context).doesNotHaveBean("waschedWebServlet");
            assertThat(context).hasSingleBean(Wasched.class);
        });
        new ApplicationContextRunner().withConfiguration(WASCHED)
                .withUserConfiguration(WaschedAutoConfigurationTest.H2.class)
                .run(context -> assertThat(context).doesNotHaveBean(WaschedWeb.class));
    }

    @Test
    void telegramRunsWhileWaschedRunsWhenATokenIsSet() throws Exception {
        try (FakeTelegramBotApi telegram = FakeTelegramBotApi.builder().start()) {
            TelegramController[] seen = new TelegramController[1];
            new ApplicationContextRunner().withConfiguration(WASCHED)
                    .withUserConfiguration(WaschedAutoConfigurationTest.H2.class)
                    .withPropertyValues("wasched.telegram.token=" + telegram.token(),
                            "wasched.telegram.base-url=" + telegram.baseUrl(), "wasched.telegram.allowed-chats=42,43")
                    .run(context -> {
                        seen[0] = context.getBean(TelegramController.class);
                        assertThat(seen[0].isRunning()).isTrue();
                    });
            assertThat(seen[0].isRunning()).isFalse();
        }
        new ApplicationContextRunner().withConfiguration(WASCHED)
                .withUserConfiguration(WaschedAutoConfigurationTest.H2.class)
                .run(context -> assertThat(context).doesNotHaveBean(TelegramController.class));
    }
}
