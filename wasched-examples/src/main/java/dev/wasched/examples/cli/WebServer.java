package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.web.UserDirectory;
import dev.wasched.web.WaschedWeb;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The web API of {@code run} on embedded Jetty: {@code web.port} (default 8080; {@code off} serves nothing, {@code 0}
 * any free port) on {@code web.bind} (default 127.0.0.1). Another address than loopback needs
 * {@code web.allowPlainHttp = true}: passwords and session cookies would cross the network in the clear, so that is
 * for a TLS proxy in front of it.
 */
final class WebServer implements AutoCloseable {
    static final int DEFAULT_PORT = 8080;
    private final Server server;
    private final WaschedWeb web;
    private final String url;

    private WebServer(Server server, WaschedWeb web, String url) {
        this.server = server;
        this.web = web;
        this.url = url;
    }

    /** Starts it, or returns null when {@code web.port = off}. */
    static WebServer start(CliConfig c, Wasched wasched, OpenStore store) {
        String port = c.get("web.port", String.valueOf(DEFAULT_PORT)).trim();
        if (port.equalsIgnoreCase("off")) {
            return null;
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new ConfigException("web.port: a port number, 0 for any free one, or off; was '" + port + "'");
        }
        String bind = c.get("web.bind", "127.0.0.1").trim();
        try {
            if (!InetAddress.getByName(bind).isLoopbackAddress() && !c.bool("web.allowPlainHttp", false)) {
                throw new ConfigException("web.bind: " + bind + " is not a loopback address; the API speaks plain"
                        + " HTTP, so put a TLS proxy in front and set web.allowPlainHttp = true");
            }
        } catch (UnknownHostException e) {
            throw new ConfigException("web.bind: unknown address '" + bind + "'");
        }
        return serve(wasched, store.store(), bind, number, c.bool("web.allowPlainHttp", false));
    }

    /**
     * Serves the console and the API of {@code wasched} on {@code bind}:{@code port} (0: any free port). Behind a TLS
     * proxy ({@code behindProxy}), the proxy's {@code X-Forwarded-*} headers say the request came over TLS, so the
     * session cookie is marked Secure.
     */
    static WebServer serve(Wasched wasched, dev.wasched.spi.store.WaschedStore store, String bind, int port,
                           boolean behindProxy) {
        WaschedWeb web = WaschedWeb.builder().wasched(wasched).store(store).build();
        Server server = new Server();
        org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
        if (behindProxy) {
            http.addCustomizer(new org.eclipse.jetty.server.ForwardedRequestCustomizer());
        }
        ServerConnector connector = new ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(
                http));
        connector.setHost(bind);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(web.servlet());
        holder.setAsyncSupported(true); // the live events stay open
        context.addServlet(holder, "/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            web.close();
            throw new ConfigException("web.port: cannot serve on " + bind + ":" + port + ": " + e.getMessage());
        }
        return new WebServer(server, web, "http://" + bind + ":" + connector.getLocalPort() + WaschedWeb.API);
    }

    /** The directory of users and keys the server signs in with. */
    UserDirectory users() {
        return web.users();
    }

    /** Where the console is, e.g. {@code http://127.0.0.1:8080/}. */
    String consoleUrl() {
        return url.substring(0, url.length() - WaschedWeb.API.length()) + "/";
    }

    /** Where the API is, e.g. {@code http://127.0.0.1:8080/api/v1}. */
    String url() {
        return url;
    }

    @Override
    public void close() throws Exception {
        web.close();
        server.stop();
    }
}
