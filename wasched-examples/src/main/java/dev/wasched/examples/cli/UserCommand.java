package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.access.ApiKey;
import dev.wasched.access.Role;
import dev.wasched.access.User;
import dev.wasched.web.NewApiKey;
import dev.wasched.web.UserDirectory;
import dev.wasched.web.WebConfig;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user", mixinStandardHelpOptions = true,
        description = {"Users of the web console and API keys, kept in the configured store.",
                "Make the first administrator with `wasched user add NAME --role admin`."},
        subcommands = {UserCommand.Add.class, UserCommand.Password.class, UserCommand.Remove.class,
                UserCommand.Key.class, UserCommand.Revoke.class})
final class UserCommand extends StoreCommand {
    /** Who the audit log names for changes made here. */
    static final String ACTOR = "cli";
    static final String PASSWORD_ENV = "WASCHED_PASSWORD";

    static UserDirectory directory(OpenStore store) {
        return new UserDirectory(store.store(), Clock.systemUTC(), WebConfig.DEFAULT);
    }

    @Override
    int run(CliConfig c, OpenStore store, Wasched w) {
        var out = spec.commandLine().getOut();
        UserDirectory users = directory(store);
        for (User u : users.users()) {
            out.printf("%-24s %-8s%s%n", u.name(), u.role(), u.lockedUntil() == null ? "" : " locked until "
                    + u.lockedUntil());
        }
        for (ApiKey k : users.keys()) {
            out.printf("key %-20s %-8s %-24s%s%n", k.id(), k.role(), k.name(), k.revoked() ? " revoked" : "");
        }
        return ExitCodes.OK;
    }

    static Role role(String r) {
        try {
            return Role.valueOf(r.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new dev.wasched.ValidationException("role", "must be viewer, operator or admin, was '" + r + "'");
        }
    }

    /** A command that sets a password: from a file, else the environment, else typed twice at the terminal. */
    abstract static class WithPassword extends StoreCommand {
        @Option(names = "--password-file", paramLabel = "FILE",
                description = "read the password from the first line of FILE (else $" + PASSWORD_ENV
                        + ", else it is asked for)")
        Path passwordFile;

        char[] password() throws IOException {
            if (passwordFile != null) {
                String first = Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst()
                        .orElse("");
                return first.toCharArray();
            }
            String env = System.getenv(PASSWORD_ENV);
            if (env != null && !env.isEmpty()) {
                return env.toCharArray();
            }
            Console console = System.console();
            if (console == null) {
                throw new ConfigException("no password: give --password-file FILE or set " + PASSWORD_ENV
                        + " (there is no terminal to ask on)");
            }
            char[] first = console.readPassword("Password (at least %d characters): ",
                    UserDirectory.MIN_PASSWORD_LENGTH);
            char[] again = console.readPassword("Again: ");
            if (first == null || !Arrays.equals(first, again)) {
                throw new dev.wasched.ValidationException("password", "the two entries differ");
            }
            return first;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a user.")
    static final class Add extends WithPassword {
        @Parameters(index = "0", paramLabel = "NAME", description = "the login name")
        String name;
        @Option(names = "--role", required = true, description = "viewer, operator or admin")
        String role;

        @Override
        int run(CliConfig c, OpenStore store, Wasched w) throws IOException {
            User u = directory(store).addUser(name, role(role), password(), ACTOR);
            spec.commandLine().getOut().printf("%s added (%s)%n", u.name(), u.role());
            return ExitCodes.OK;
        }
    }

    @Command(name = "password", mixinStandardHelpOptions = true,
            description = "Sets a user's password (and lifts a lock-out).")
    static final class Password extends WithPassword {
        @Parameters(index = "0", paramLabel = "NAME", description = "the login name")
        String name;

        @Override
        int run(CliConfig c, OpenStore store, Wasched w) throws IOException {
            User u = directory(store).setPassword(name, password(), ACTOR);
            spec.commandLine().getOut().printf("%s: password set%n", u.name());
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a user (not the last administrator).")
    static final class Remove extends StoreCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the login name")
        String name;

        @Override
        int run(CliConfig c, OpenStore store, Wasched w) {
            directory(store).removeUser(name, ACTOR);
            spec.commandLine().getOut().printf("%s removed%n", name);
            return ExitCodes.OK;
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = "Makes an API key and prints it once: it is not kept, only its hash.")
    static final class Key extends StoreCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "what the key is for, e.g. crm-sync")
        String name;
        @Option(names = "--role", required = true, description = "viewer, operator or admin")
        String role;

        @Override
        int run(CliConfig c, OpenStore store, Wasched w) {
            NewApiKey k = directory(store).createKey(name, role(role), ACTOR);
            var out = spec.commandLine().getOut();
            out.printf("key %s (%s, %s):%n%s%n", k.key().id(), k.key().name(), k.key().role(), k.secret());
            out.println("Keep it now: it cannot be shown again. Present it as 'Authorization: Bearer KEY'.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes an API key at once.")
    static final class Revoke extends StoreCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "the key's id (as `wasched user` lists it)")
        String id;

        @Override
        int run(CliConfig c, OpenStore store, Wasched w) {
            ApiKey k = directory(store).revokeKey(id, ACTOR);
            spec.commandLine().getOut().printf("key %s revoked at %s%n", k.id(), k.revokedAt());
            return ExitCodes.OK;
        }
    }
}
