package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.SpecialUse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * CREATE mailbox [(USE (attributes))] (RFC 3501 section 6.3.3; RFC 6154 section 3 CREATE-SPECIAL-USE, in the
 * RFC 4466 create-param syntax). Missing superior names are created as {@code \Noselect} names; one trailing
 * delimiter is dropped ({@code CREATE a/} creates {@code a}).
 *
 * <p>Answers {@code OK}, {@code NO [ALREADYEXISTS]} (also for INBOX), {@code NO [LIMIT]} beyond the account's
 * number of names, {@code NO [USEATTR]} for a special use this server cannot give a real mailbox ({@code \All}
 * and {@code \Flagged} are virtual views, which it does not implement) and {@code BAD} for a name that is not
 * valid modified UTF-7, breaks a {@link MailboxName} rule, or an unknown create-param.
 *
 * @param mailbox    the name to create
 * @param specialUse the special-use attributes requested with {@code USE}, possibly empty
 * @param unsupportedUse attributes the client asked for that cannot be given (answered with {@code USEATTR})
 */
public record CreateCommand(String tag, MailboxName mailbox, Set<SpecialUse> specialUse, List<String> unsupportedUse)
        implements ImapCommand {

    /** Special uses that only make sense for virtual mailboxes (RFC 6154 section 2). */
    private static final Set<SpecialUse> VIRTUAL = EnumSet.of(SpecialUse.ALL, SpecialUse.FLAGGED);

    public CreateCommand {
        specialUse = SpecialUse.copyOf(specialUse);
        unsupportedUse = List.copyOf(unsupportedUse);
    }

    static CreateCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        String text = MailboxArgument.decode(args.astring());
        MailboxName name;
        try {
            name = MailboxName.forCreate(text);
        } catch (IllegalArgumentException e) {
            throw new ParseException("Invalid mailbox name: " + e.getMessage());
        }
        EnumSet<SpecialUse> uses = EnumSet.noneOf(SpecialUse.class);
        List<String> unsupported = new ArrayList<>();
        if (!args.atEnd()) {
            args.sp();
            args.expect('(');
            do {
                String param = args.atom().toUpperCase(Locale.ROOT);
                if (!param.equals("USE")) {
                    throw new ParseException("Unknown CREATE parameter " + param + " (only USE, RFC 6154)");
                }
                args.sp();
                args.expect('(');
                while (!args.tryConsume(')')) {
                    if (args.peek() != '\\') {
                        throw new ParseException("Expected a special-use attribute such as \\Sent");
                    }
                    args.expect('\\');
                    String attribute = "\\" + args.atom();
                    try {
                        uses.add(SpecialUse.fromAttribute(attribute));
                    } catch (IllegalArgumentException e) {
                        unsupported.add(attribute);
                    }
                    if (args.peek() != ')') {
                        args.sp();
                    }
                }
            } while (args.tryConsume(' '));
            args.expect(')');
        }
        args.end();
        return new CreateCommand(tag, name, uses, unsupported);
    }

    @Override
    public String name() {
        return "CREATE";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        if (!unsupportedUse.isEmpty()) {
            return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.USEATTR,
                    "Unsupported special-use attribute " + unsupportedUse.get(0)));
        }
        for (SpecialUse use : specialUse) {
            if (VIRTUAL.contains(use)) {
                return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.USEATTR,
                        use.attribute() + " is for virtual mailboxes, which this server does not have"));
            }
        }
        return session.onEventLoop(session.services().mailboxes().create(session.user(), mailbox, specialUse))
                .handle((created, error) -> error == null ? StatusResponse.ok(tag, "CREATE completed")
                        : MailboxFailures.refusal(tag, error));
    }
}
