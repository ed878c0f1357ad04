package dev.wasched.examples.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.store.mongo.MongoStore;
import java.nio.file.Path;

/** The store named by {@code store.url}, with whatever the CLI opened for it (a pool), closed together. */
public final class OpenStore implements AutoCloseable {
    private final WaschedStore store;
    private final AutoCloseable extra;

    private OpenStore(WaschedStore store, AutoCloseable extra) {
        this.store = store;
        this.extra = extra;
    }

    public WaschedStore store() {
        return store;
    }

    /**
     * {@code h2:PATH} (embedded, the default), {@code jdbc:postgresql://…} (user in {@code store.user}, password
     * from the variable named by {@code store.password.env}) or {@code mongodb://…} (database {@code store.database}).
     */
    public static OpenStore open(CliConfig config) {
        String url = config.storeUrl();
        if (url.startsWith("h2:")) {
            return new OpenStore(JdbcStore.embedded(Path.of(url.substring(3))), null);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(url);
            config.get("store.user").ifPresent(hc::setUsername);
            config.secret("store.password").ifPresent(s -> hc.setPassword(s.reveal()));
            hc.setMaximumPoolSize(config.integer("store.poolSize", 8));
            hc.setPoolName("wasched-cli");
            HikariDataSource ds = new HikariDataSource(hc);
            try {
                return new OpenStore(JdbcStore.builder(ds).autoMigrate(true).build(), ds);
            } catch (RuntimeException e) {
                ds.close();
                throw e;
            }
        }
        if (url.startsWith("mongodb://") || url.startsWith("mongodb+srv://")) {
            return new OpenStore(MongoStore.connect(url, config.get("store.database", "wasched")), null);
        }
        throw new ConfigException("store.url: expected h2:PATH, jdbc:postgresql://… or mongodb://…, was '" + url + "'");
    }

    @Override
    public void close() {
        store.close();
        if (extra != null) {
            try {
                extra.close();
            } catch (Exception e) {
                // closing a pool on the way out: nothing left to do with the error
            }
        }
    }
}
