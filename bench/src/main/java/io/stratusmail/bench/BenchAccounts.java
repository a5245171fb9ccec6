package io.stratusmail.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.user.PasswordHasher;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code accounts}: creates the benchmark's accounts {@code PREFIX01@DOMAIN .. PREFIXnn@DOMAIN} with one password,
 * in Stratus (its Cassandra keyspace: password hash and provisioned mailboxes, as {@code stratus user add} does)
 * and, with {@code --dovecot-passwd}, in a Dovecot passwd-file with the very same Argon2id hash string
 * ({@code {ARGON2ID}$argon2id$v=19$m=..}), so a LOGIN costs both servers the same hashing.
 *
 * <p>{@code --hash default} uses Stratus's production parameters (19 MiB, t=2, p=1); {@code --hash cheap}
 * (64 KiB, t=1) is for benchmarks that measure something else than LOGIN (the IDLE heap bench opens 10,000
 * sessions); the stored PHC string carries its parameters, so the server verifies with them.
 */
@Command(name = "accounts", description = "Create numbered bench accounts in Stratus (and a Dovecot passwd-file).")
final class BenchAccounts implements Callable<Integer> {

    @Mixin
    BenchStore bench;

    @Option(names = "--prefix", defaultValue = "bench") String prefix;
    @Option(names = "--domain", defaultValue = "bench.local") String domain;
    @Option(names = "--count", defaultValue = "16") int count;
    @Option(names = "--password", defaultValue = "bench-password") String password;
    @Option(names = "--hash", defaultValue = "default", description = "default or cheap") String hash;
    @Option(names = "--dovecot-passwd", description = "Dovecot passwd-file to append the same accounts to.")
    Path dovecotPasswd;

    /** The account names, 1-based: {@code prefix01@domain}. */
    static String name(String prefix, int n, String domain) {
        return String.format(Locale.ROOT, "%s%02d@%s", prefix, n, domain);
    }

    @Override
    public Integer call() throws Exception {
        PasswordHasher hasher = switch (hash) {
            case "default" -> new PasswordHasher();
            case "cheap" -> new PasswordHasher(64, 1, 1);
            default -> throw new IllegalArgumentException("--hash: default or cheap");
        };
        long start = System.nanoTime();
        // one hash for all: the salt is then shared, which changes nothing for a benchmark's cost per LOGIN
        String phc = hasher.hash(password.toCharArray());
        List<String> lines = new ArrayList<>();
        try (CqlSession session = bench.open()) {
            CassandraStore store = BenchStore.store(session, bench.config("stratus"));
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String name = name(prefix, i, domain);
                Username user = Username.of(name);
                pending.add(store.users().put(user, phc)
                        .thenCompose(v -> store.mailboxes().provision(user)).toCompletableFuture());
                lines.add(name + ":{ARGON2ID}" + phc + "\n");
                if (pending.size() >= 64) {
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                    pending.clear();
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        }
        if (dovecotPasswd != null) {
            appendLines(dovecotPasswd, lines);
        }
        System.out.printf(Locale.ROOT, "accounts created=%d first=%s hash=%s seconds=%.1f%n", count,
                name(prefix, 1, domain), hash, BenchStore.seconds(start));
        return 0;
    }

    private static void appendLines(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("", lines), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
