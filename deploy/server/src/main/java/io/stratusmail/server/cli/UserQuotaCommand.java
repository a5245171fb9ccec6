package io.stratusmail.server.cli;

import static io.stratusmail.server.cli.AdminTarget.await;

import io.stratusmail.mailbox.quota.QuotaLimit;
import io.stratusmail.mailbox.quota.QuotaUsage;
import io.stratusmail.mailbox.quota.UserQuota;
import io.stratusmail.mailbox.user.UnknownUserException;
import io.stratusmail.mailbox.user.Username;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stratus user quota ADDRESS [--storage SIZE] [--messages N] [--unlimited]}: sets an account's own quota
 * limits (RFC 9208 STORAGE and MESSAGE), then prints its limits and exact usage; without options it only prints
 * them. A resource without an own limit follows the serving nodes' default ({@code serve --default-quota-*}).
 */
@Command(name = "quota", mixinStandardHelpOptions = true,
        description = "Show an account's quota limits and usage, or set its limits.")
final class UserQuotaCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin AdminTarget target;
    @Parameters(index = "0", paramLabel = "ADDRESS") String address;
    @Option(names = "--storage", paramLabel = "SIZE",
            description = "Storage limit: octets, or with K/M/G/T (powers of 1024, e.g. 500M, 2G); "
                    + "'unlimited'; 'default' for the node default.")
    String storage;
    @Option(names = "--messages", paramLabel = "N",
            description = "Most messages; 'unlimited'; 'default' for the node default.")
    String messages;
    @Option(names = "--unlimited", description = "No limit on storage nor messages.")
    boolean unlimited;

    private record Shown(UserQuota quota, QuotaUsage usage, boolean changed) {
    }

    @Override
    public Integer call() {
        Username user = CliArguments.username(spec, address);
        if (unlimited && (storage != null || messages != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--unlimited cannot be combined with --storage or --messages");
        }
        Optional<QuotaLimit> newStorage = unlimited ? Optional.of(QuotaLimit.UNLIMITED)
                : Optional.ofNullable(storage).map(s -> parse("--storage", () -> QuotaArguments.storage(s)));
        Optional<QuotaLimit> newMessages = unlimited ? Optional.of(QuotaLimit.UNLIMITED)
                : Optional.ofNullable(messages).map(s -> parse("--messages", () -> QuotaArguments.messages(s)));
        Shown shown = target.withNode(node -> {
            UserQuota quota = await(node.quotaSettings().quota(user)).orElseThrow(() -> new UnknownUserException(user));
            boolean changed = newStorage.isPresent() || newMessages.isPresent();
            if (changed) {
                quota = new UserQuota(newStorage.orElse(quota.storage()), newMessages.orElse(quota.messages()));
                if (!await(node.quotaSettings().setQuota(user, quota))) {
                    throw new UnknownUserException(user);
                }
            }
            return new Shown(quota, await(node.quotas().usage(user)), changed);
        });
        PrintWriter out = spec.commandLine().getOut();
        if (shown.changed()) {
            out.println("user " + user + ": quota set");
        }
        out.println("user " + user);
        out.println("  storage:  limit " + QuotaArguments.describeStorage(shown.quota().storage()) + ", usage "
                + shown.usage().storage() + " octets");
        out.println("  messages: limit " + QuotaArguments.describeMessages(shown.quota().messages()) + ", usage "
                + shown.usage().messages());
        return 0;
    }

    private QuotaLimit parse(String option, java.util.function.Supplier<QuotaLimit> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage(), e);
        }
    }
}
