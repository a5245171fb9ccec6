package io.stratusmail.imap.command;

import io.stratusmail.imap.fetch.FetchCommand;
import io.stratusmail.imap.search.SearchCommand;
import io.stratusmail.imap.quota.GetQuotaCommand;
import io.stratusmail.imap.quota.GetQuotaRootCommand;
import io.stratusmail.imap.quota.SetQuotaCommand;
import io.stratusmail.imap.protocol.CommandFrame;
import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.MalformedCommand;
import java.util.Locale;
import java.util.Map;

/**
 * The command table: command name to parser (RFC 3501 section 6 and the extensions of
 * {@link io.stratusmail.imap.ImapServer}). {@code UID} prefixes FETCH, STORE, SEARCH (section 6.4.8) and
 * EXPUNGE (RFC 4315).
 */
public final class Commands {

    /** Reads a command's arguments, starting right after its name. */
    @FunctionalInterface
    public interface Parser {
        ImapCommand parse(String tag, CommandReader args) throws ParseException;
    }

    private static final Map<String, Parser> COMMANDS = Map.ofEntries(
            Map.entry("CAPABILITY", CapabilityCommand::parse),
            Map.entry("NOOP", (tag, args) -> NoopCommand.parse(tag, args, false)),
            Map.entry("LOGOUT", LogoutCommand::parse),
            Map.entry("ID", IdCommand::parse),
            Map.entry("STARTTLS", StartTlsCommand::parse),
            Map.entry("LOGIN", LoginCommand::parse),
            Map.entry("AUTHENTICATE", AuthenticateCommand::parse),
            Map.entry("ENABLE", EnableCommand::parse),
            Map.entry("NAMESPACE", NamespaceCommand::parse),
            Map.entry("LIST", ListCommand::parse),
            Map.entry("LSUB", LsubCommand::parse),
            Map.entry("CREATE", CreateCommand::parse),
            Map.entry("DELETE", DeleteCommand::parse),
            Map.entry("RENAME", RenameCommand::parse),
            Map.entry("SUBSCRIBE", (tag, args) -> SubscribeCommand.parse(tag, args, true)),
            Map.entry("UNSUBSCRIBE", (tag, args) -> SubscribeCommand.parse(tag, args, false)),
            Map.entry("STATUS", StatusCommand::parse),
            Map.entry("SELECT", (tag, args) -> SelectCommand.parse(tag, args, false)),
            Map.entry("EXAMINE", (tag, args) -> SelectCommand.parse(tag, args, true)),
            Map.entry("APPEND", AppendCommand::parse),
            Map.entry("IDLE", IdleCommand::parse),
            Map.entry("CHECK", (tag, args) -> NoopCommand.parse(tag, args, true)),
            Map.entry("FETCH", (tag, args) -> FetchCommand.parse(tag, args, false)),
            Map.entry("STORE", (tag, args) -> StoreCommand.parse(tag, args, false)),
            Map.entry("SEARCH", (tag, args) -> SearchCommand.parse(tag, args, false)),
            Map.entry("EXPUNGE", ExpungeCommand::parse),
            Map.entry("CLOSE", CloseCommand::parse),
            Map.entry("UNSELECT", UnselectCommand::parse),
            Map.entry("GETQUOTA", GetQuotaCommand::parse),
            Map.entry("GETQUOTAROOT", GetQuotaRootCommand::parse),
            Map.entry("SETQUOTA", SetQuotaCommand::parse),
            Map.entry("COPY", (tag, args) -> CopyCommand.parse(tag, args, false, false)),
            Map.entry("MOVE", (tag, args) -> CopyCommand.parse(tag, args, false, true)));

    private static final Map<String, Parser> UID_COMMANDS = Map.of(
            "FETCH", (tag, args) -> FetchCommand.parse(tag, args, true),
            "STORE", (tag, args) -> StoreCommand.parse(tag, args, true),
            "SEARCH", (tag, args) -> SearchCommand.parse(tag, args, true),
            "EXPUNGE", ExpungeCommand::parseUid,
            "COPY", (tag, args) -> CopyCommand.parse(tag, args, true, false),
            "MOVE", (tag, args) -> CopyCommand.parse(tag, args, true, true));

    private Commands() {
    }

    /** Parses a framed command; never throws: bad input becomes a {@link MalformedCommand}. */
    public static ImapCommand parse(CommandFrame frame) {
        CommandReader args = new CommandReader(frame);
        String tag;
        try {
            tag = args.tag();
            args.sp();
        } catch (ParseException e) {
            return new MalformedCommand(null, null, "Missing or invalid tag");
        }
        try {
            String name = args.atom().toUpperCase(Locale.ROOT);
            Parser parser = COMMANDS.get(name);
            if (name.equals("UID")) {
                args.sp();
                String sub = args.atom().toUpperCase(Locale.ROOT);
                parser = UID_COMMANDS.get(sub);
                if (parser == null) {
                    return new MalformedCommand(tag, null, "Unknown command UID " + printable(sub));
                }
            }
            if (parser == null) {
                return new MalformedCommand(tag, null, "Unknown command " + printable(name));
            }
            return parser.parse(tag, args);
        } catch (ParseException e) {
            return new MalformedCommand(tag, null, e.getMessage());
        }
    }

    private static String printable(String name) {
        return name.length() > 32 ? name.substring(0, 32) + "..." : name;
    }
}
