package io.stratusmail.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MailboxRepository} must show: CREATE, DELETE, RENAME, SUBSCRIBE and LIST data as RFC
 * 3501 sections 6.3.3 to 6.3.9 describe them (the RFC's own examples included), RFC 6154 special use, RFC 3348
 * child attributes, UIDVALIDITY rules, bad input, and two store instances racing. A store's test extends this
 * class; the in-memory fake and the Cassandra store both run it.
 */
public abstract class MailboxRepositoryContract {

    /** The store under test. */
    protected abstract MailboxRepository mailboxes();

    /** A second, independent instance on the same data (another server node); may be the same object. */
    protected abstract MailboxRepository otherNode();

    /** The message store sharing the data of {@link #mailboxes()}. */
    protected abstract MessageStore messages();

    protected static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The failure the stage completes with; fails the test when it succeeds. */
    protected static Throwable failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("expected the stage to fail");
    }

    protected static Username user() {
        return new Username("user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org");
    }

    private static MailboxName name(String value) {
        return new MailboxName(value);
    }

    private Mailbox create(Username owner, String value) {
        return join(mailboxes().create(owner, name(value)));
    }

    /** LIST as a user would read it: one line per name, {@code name (attributes)}. */
    private List<String> listing(Username owner) {
        return join(mailboxes().listWithAttributes(owner)).stream().map(l -> {
            List<String> attributes = new ArrayList<>();
            if (l.noselect()) {
                attributes.add("\\Noselect");
            }
            attributes.add(l.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
            l.specialUse().forEach(u -> attributes.add(u.attribute()));
            if (l.subscribed()) {
                attributes.add("\\Subscribed");
            }
            return l.name() + " (" + String.join(" ", attributes) + ")";
        }).toList();
    }

    private void append(Mailbox mailbox, String subject) {
        byte[] message = ("Subject: " + subject + "\r\n\r\nBody\r\n").getBytes(StandardCharsets.US_ASCII);
        join(messages().append(mailbox, message, Flags.of(), Instant.parse("2024-03-05T09:08:07Z")));
    }

    private int messageCount(Mailbox mailbox) {
        return join(messages().snapshot(mailbox)).messages().size();
    }

    // ---- CREATE (RFC 3501 section 6.3.3)

    @Test
    void createdMailboxIsFoundByNameFromEveryNode() {
        Username owner = user();
        Mailbox created = create(owner, "Projects");

        assertThat(created.owner()).isEqualTo(owner);
        assertThat(created.name()).isEqualTo(name("Projects"));
        assertThat(created.uidValidity()).isBetween(1L, 0xFFFF_FFFFL);
        assertThat(join(mailboxes().find(owner, name("Projects")))).contains(created);
        assertThat(join(otherNode().find(owner, name("Projects")))).contains(created);
        assertThat(join(mailboxes().findById(owner, created.id()))).contains(created);
    }

    @Test
    void unknownNamesAndIdsAreNotFound() {
        Username owner = user();
        assertThat(join(mailboxes().find(owner, name("Nope")))).isEmpty();
        assertThat(join(mailboxes().findById(owner, MailboxId.random()))).isEmpty();
        assertThat(join(mailboxes().list(owner))).isEmpty();
        assertThat(join(mailboxes().listWithAttributes(owner))).isEmpty();
    }

    @Test
    void rfc3501CreateExampleWithTrailingDelimiterDeclaringAParent() {
        Username owner = user();
        // C: A003 CREATE owatagusiam/    S: A003 OK CREATE completed
        join(mailboxes().create(owner, MailboxName.forCreate("owatagusiam/")));
        // C: A004 CREATE owatagusiam/blurdybloop    S: A004 OK CREATE completed
        join(mailboxes().create(owner, MailboxName.forCreate("owatagusiam/blurdybloop")));

        assertThat(listing(owner)).containsExactly(
                "owatagusiam (\\HasChildren)",
                "owatagusiam/blurdybloop (\\HasNoChildren)");
    }

    @Test
    void createMakesMissingSuperiorNamesNoselectPlaceholders() {
        Username owner = user();
        Mailbox leaf = create(owner, "a/b/c");

        assertThat(listing(owner)).containsExactly(
                "a (\\Noselect \\HasChildren)",
                "a/b (\\Noselect \\HasChildren)",
                "a/b/c (\\HasNoChildren)");
        assertThat(join(mailboxes().list(owner))).containsExactly(leaf);
        assertThat(join(mailboxes().find(owner, name("a/b")))).isEmpty();
    }

    @Test
    void creatingThePlaceholderNameMakesItSelectableWithAFreshUidValidity() {
        Username owner = user();
        Mailbox child = create(owner, "Work/Reports");
        Mailbox work = create(owner, "Work");

        assertThat(work.uidValidity()).isGreaterThan(child.uidValidity());
        assertThat(listing(owner)).containsExactly("Work (\\HasChildren)", "Work/Reports (\\HasNoChildren)");
        assertThat(failure(mailboxes().create(owner, name("Work")))).isInstanceOf(MailboxExistsException.class);
    }

    @Test
    void secondCreateOfTheSameNameFailsWithAlreadyExistsAndKeepsTheFirst() {
        Username owner = user();
        Mailbox first = create(owner, "Drafts");

        assertThat(failure(mailboxes().create(owner, name("Drafts")))).isInstanceOf(MailboxExistsException.class);
        assertThat(failure(otherNode().create(owner, name("Drafts")))).isInstanceOf(MailboxExistsException.class);
        assertThat(join(mailboxes().list(owner))).containsExactly(first);
    }

    @Test
    void inboxIsCaseInsensitiveAndCannotBeCreatedTwice() {
        Username owner = user();
        Mailbox inbox = join(mailboxes().provision(owner));

        assertThat(failure(mailboxes().create(owner, name("inbox")))).isInstanceOf(MailboxExistsException.class)
                .hasMessageContaining("INBOX");
        assertThat(failure(mailboxes().create(owner, name("INBOX")))).isInstanceOf(MailboxExistsException.class);
        join(mailboxes().create(owner, name("Work")));
        assertThat(create(owner, "work").name().value()).isEqualTo("work");
        assertThat(join(mailboxes().find(owner, name("Inbox")))).contains(inbox);
    }

    @Test
    void sameNameForTwoUsersIsTwoMailboxes() {
        Username alice = user();
        Username bob = user();
        Mailbox a = create(alice, "Sent");
        Mailbox b = create(bob, "Sent");

        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(join(mailboxes().findById(bob, a.id()))).isEmpty();
        assertThat(join(mailboxes().list(bob))).containsExactly(b);
    }

    @Test
    void listReturnsSelectableMailboxesSortedByName() {
        Username owner = user();
        for (String n : List.of("Trash", "INBOX", "Archive", "Archive/2023", "Éte", "Lists/java")) {
            create(owner, n);
        }
        create(user(), "Foreign");

        assertThat(join(mailboxes().list(owner))).extracting(m -> m.name().value())
                .containsExactly("Archive", "Archive/2023", "INBOX", "Lists/java", "Trash", "Éte");
        assertThat(listing(owner)).containsExactly(
                "Archive (\\HasChildren)",
                "Archive/2023 (\\HasNoChildren)",
                "INBOX (\\HasNoChildren)",
                "Lists (\\Noselect \\HasChildren)",
                "Lists/java (\\HasNoChildren)",
                "Trash (\\HasNoChildren)",
                "Éte (\\HasNoChildren)");
    }

    @Test
    void createWithSpecialUseShowsTheAttributes() {
        Username owner = user();
        Mailbox sent = join(mailboxes().create(owner, name("Outbox/Sent Items"), Set.of(SpecialUse.SENT)));
        join(mailboxes().create(owner, name("Everything"), Set.of(SpecialUse.ARCHIVE, SpecialUse.ALL)));

        assertThat(listing(owner)).containsExactly(
                "Everything (\\HasNoChildren \\All \\Archive)",
                "Outbox (\\Noselect \\HasChildren)",
                "Outbox/Sent Items (\\HasNoChildren \\Sent)");
        assertThat(join(mailboxes().find(owner, name("Outbox/Sent Items")))).contains(sent);
    }

    @Test
    void everyMailboxOfAUserGetsItsOwnUidValidityEvenWhenNodesCreateAtOnce() {
        Username owner = user();
        List<CompletionStage<Mailbox>> creations = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            MailboxRepository node = i % 2 == 0 ? mailboxes() : otherNode();
            creations.add(node.create(owner, name("Folder" + i)));
        }

        Set<Long> uidValidities = new HashSet<>();
        for (CompletionStage<Mailbox> c : creations) {
            uidValidities.add(join(c).uidValidity());
        }
        assertThat(uidValidities).hasSize(12).allSatisfy(v -> assertThat(v).isBetween(1L, 0xFFFF_FFFFL));
        assertThat(join(mailboxes().list(owner))).hasSize(12);
    }

    @Test
    void uidValidityIsNeverReusedWhenANameIsDeletedAndCreatedAgain() {
        Username owner = user();
        List<Long> seen = new ArrayList<>();
        Set<MailboxId> ids = new HashSet<>();
        for (int round = 0; round < 4; round++) {
            Mailbox m = create(owner, "Scratch");
            seen.add(m.uidValidity());
            ids.add(m.id());
            assertThat(join(mailboxes().delete(owner, name("Scratch")))).contains(m);
        }

        assertThat(seen).isSorted().doesNotHaveDuplicates();
        assertThat(ids).hasSize(4);
    }

    // ---- DELETE (RFC 3501 section 6.3.4)

    @Test
    void rfc3501DeleteExampleWithNoselectParent() {
        Username owner = user();
        create(owner, "blurdybloop");
        create(owner, "foo/bar");
        // * LIST () "/" blurdybloop   * LIST (\Noselect) "/" foo   * LIST () "/" foo/bar
        assertThat(listing(owner)).containsExactly("blurdybloop (\\HasNoChildren)",
                "foo (\\Noselect \\HasChildren)", "foo/bar (\\HasNoChildren)");

        // C: A683 DELETE blurdybloop    S: A683 OK DELETE completed
        join(mailboxes().delete(owner, name("blurdybloop")));
        // C: A684 DELETE foo    S: A684 NO Name "foo" has inferior hierarchical names
        assertThat(failure(mailboxes().delete(owner, name("foo")))).isInstanceOf(MailboxHasChildrenException.class);
        // C: A685 DELETE foo/bar    S: A685 OK DELETE Completed
        join(mailboxes().delete(owner, name("foo/bar")));
        // C: A686 LIST "" *    S: * LIST (\Noselect) "/" foo
        assertThat(listing(owner)).containsExactly("foo (\\Noselect \\HasNoChildren)");
        // C: A687 DELETE foo    S: A687 OK DELETE Completed
        assertThat(join(mailboxes().delete(owner, name("foo")))).isEmpty();
        assertThat(listing(owner)).isEmpty();
    }

    @Test
    void rfc3501DeleteOfAMailboxWithChildrenKeepsANoselectNameAndDropsItsMessages() {
        Username owner = user();
        create(owner, "blurdybloop");
        Mailbox foo = create(owner, "foo");
        Mailbox bar = create(owner, "foo/bar");
        append(foo, "in foo");
        append(bar, "in foo/bar");

        // C: A84 DELETE foo    S: A84 OK DELETE Completed
        assertThat(join(mailboxes().delete(owner, name("foo")))).contains(foo);

        assertThat(listing(owner)).containsExactly("blurdybloop (\\HasNoChildren)",
                "foo (\\Noselect \\HasChildren)", "foo/bar (\\HasNoChildren)");
        assertThat(join(mailboxes().find(owner, name("foo")))).isEmpty();
        assertThat(join(mailboxes().findById(owner, foo.id()))).isEmpty();
        assertThat(messageCount(bar)).isEqualTo(1);

        Mailbox again = create(owner, "foo");
        assertThat(again.id()).isNotEqualTo(foo.id());
        assertThat(again.uidValidity()).isGreaterThan(foo.uidValidity());
        assertThat(messageCount(again)).isZero();
    }

    @Test
    void deletingInboxOrAnUnknownNameFailsAndChangesNothing() {
        Username owner = user();
        join(mailboxes().provision(owner));
        create(owner, "INBOX/Lists");
        List<String> before = listing(owner);

        assertThat(failure(mailboxes().delete(owner, name("inbox"))))
                .isInstanceOf(InvalidMailboxOperationException.class).hasMessageContaining("INBOX");
        assertThat(failure(mailboxes().delete(owner, name("Nonexistent"))))
                .isInstanceOf(MailboxNotFoundException.class).hasMessageContaining("Nonexistent");
        assertThat(failure(mailboxes().delete(owner, name("INBOX/Lists/x"))))
                .isInstanceOf(MailboxNotFoundException.class);
        assertThat(listing(owner)).isEqualTo(before);
    }

    // ---- RENAME (RFC 3501 section 6.3.5)

    @Test
    void rfc3501RenameExampleMovesNoselectNamesWithTheirChildren() {
        Username owner = user();
        Mailbox blurdybloop = create(owner, "blurdybloop");
        Mailbox bar = create(owner, "foo/bar");

        // C: A683 RENAME blurdybloop sarasoop    S: A683 OK RENAME completed
        join(mailboxes().rename(owner, name("blurdybloop"), name("sarasoop")));
        // C: A684 RENAME foo zowie    S: A684 OK RENAME Completed
        join(otherNode().rename(owner, name("foo"), name("zowie")));

        // * LIST () "." sarasoop   * LIST (\Noselect) "." zowie   * LIST () "." zowie.bar
        assertThat(listing(owner)).containsExactly("sarasoop (\\HasNoChildren)",
                "zowie (\\Noselect \\HasChildren)", "zowie/bar (\\HasNoChildren)");
        assertThat(join(mailboxes().find(owner, name("sarasoop"))))
                .contains(new Mailbox(blurdybloop.id(), owner, name("sarasoop"), blurdybloop.uidValidity()));
        assertThat(join(mailboxes().findById(owner, bar.id())))
                .contains(new Mailbox(bar.id(), owner, name("zowie/bar"), bar.uidValidity()));
    }

    @Test
    void renameMovesChildrenMessagesSpecialUseAndSubscriptions() {
        Username owner = user();
        Mailbox a = create(owner, "a");
        Mailbox x = join(mailboxes().create(owner, name("a/x"), Set.of(SpecialUse.ARCHIVE)));
        Mailbox y = create(owner, "a/x/y");
        create(owner, "ab");
        append(x, "one");
        append(x, "two");
        join(mailboxes().subscribe(owner, name("a/x")));
        join(mailboxes().subscribe(owner, name("ab")));

        join(mailboxes().rename(owner, name("a"), name("b/c")));

        assertThat(listing(owner)).containsExactly(
                "ab (\\HasNoChildren \\Subscribed)",
                "b (\\Noselect \\HasChildren)",
                "b/c (\\HasChildren)",
                "b/c/x (\\HasChildren \\Archive \\Subscribed)",
                "b/c/x/y (\\HasNoChildren)");
        Mailbox movedX = join(mailboxes().find(owner, name("b/c/x"))).orElseThrow();
        assertThat(movedX.id()).isEqualTo(x.id());
        assertThat(movedX.uidValidity()).isEqualTo(x.uidValidity());
        assertThat(messageCount(movedX)).isEqualTo(2);
        assertThat(join(mailboxes().findById(owner, a.id()))).map(m -> m.name().value()).contains("b/c");
        assertThat(join(mailboxes().findById(owner, y.id()))).map(m -> m.name().value()).contains("b/c/x/y");
        assertThat(join(mailboxes().subscriptions(owner))).containsExactly(name("ab"), name("b/c/x"));
    }

    @Test
    void renameInboxMovesItsMessagesAndLeavesANewEmptyInbox() {
        Username owner = user();
        Mailbox inbox = join(mailboxes().provision(owner));
        Mailbox lists = create(owner, "INBOX/Lists");
        append(inbox, "first");
        append(inbox, "second");

        join(mailboxes().rename(owner, name("INBOX"), name("Old Mail")));

        Mailbox old = join(mailboxes().find(owner, name("Old Mail"))).orElseThrow();
        assertThat(old.id()).isEqualTo(inbox.id());
        assertThat(old.uidValidity()).isEqualTo(inbox.uidValidity());
        assertThat(messageCount(old)).isEqualTo(2);
        Mailbox fresh = join(mailboxes().find(owner, MailboxName.INBOX)).orElseThrow();
        assertThat(fresh.id()).isNotEqualTo(inbox.id());
        assertThat(fresh.uidValidity()).isGreaterThan(inbox.uidValidity());
        assertThat(messageCount(fresh)).isZero();
        assertThat(join(mailboxes().find(owner, name("INBOX/Lists")))).contains(lists);
        assertThat(join(mailboxes().ensureInbox(owner))).isEqualTo(fresh);
    }

    @Test
    void renameInboxBelowItselfIsAllowed() {
        Username owner = user();
        Mailbox inbox = join(mailboxes().provision(owner));

        join(mailboxes().rename(owner, name("INBOX"), name("INBOX/2024")));

        assertThat(join(mailboxes().find(owner, name("INBOX/2024")))).map(Mailbox::id).contains(inbox.id());
        assertThat(listing(owner)).contains("INBOX (\\HasChildren \\Subscribed)", "INBOX/2024 (\\HasNoChildren)");
    }

    @Test
    void renameIntoItsOwnHierarchyOrOntoAnExistingNameFailsAndChangesNothing() {
        Username owner = user();
        create(owner, "a/b");
        create(owner, "a");
        create(owner, "c");
        create(owner, "d/x");
        List<String> before = listing(owner);

        assertThat(failure(mailboxes().rename(owner, name("a"), name("a/b/z"))))
                .isInstanceOf(InvalidMailboxOperationException.class).hasMessageContaining("a/b/z");
        assertThat(failure(mailboxes().rename(owner, name("a"), name("c"))))
                .isInstanceOf(MailboxExistsException.class);
        assertThat(failure(mailboxes().rename(owner, name("a"), name("a"))))
                .isInstanceOf(MailboxExistsException.class);
        assertThat(failure(mailboxes().rename(owner, name("c"), name("d"))))
                .as("a \\Noselect name exists too").isInstanceOf(MailboxExistsException.class);
        assertThat(failure(mailboxes().rename(owner, name("a/b"), name("a"))))
                .isInstanceOf(MailboxExistsException.class);
        assertThat(failure(mailboxes().rename(owner, name("missing"), name("z"))))
                .isInstanceOf(MailboxNotFoundException.class);
        assertThat(listing(owner)).isEqualTo(before);
    }

    @Test
    void renameThatWouldMakeAnInferiorNameTooLongOrTooDeepFailsAndChangesNothing() {
        Username owner = user();
        String longLevel = "x".repeat(200);
        create(owner, "a/" + longLevel);
        create(owner, "deep/" + "l/".repeat(29) + "leaf");
        List<String> before = listing(owner);

        assertThatThrownBy(() -> join(mailboxes().rename(owner, name("a"), name("y".repeat(60)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
        assertThatThrownBy(() -> join(mailboxes().rename(owner, name("deep"), name("p/q/r"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
        assertThat(listing(owner)).isEqualTo(before);
    }

    // ---- SUBSCRIBE, UNSUBSCRIBE, LSUB (RFC 3501 sections 6.3.6, 6.3.7, 6.3.9)

    @Test
    void subscriptionsMayNameMailboxesThatDoNotExist() {
        Username owner = user();
        create(owner, "news");
        join(mailboxes().subscribe(owner, name("#news.comp.mail.misc")));
        join(mailboxes().subscribe(owner, name("news")));
        join(otherNode().subscribe(owner, name("news")));

        assertThat(join(mailboxes().subscriptions(owner))).containsExactly(name("#news.comp.mail.misc"), name("news"));
        assertThat(listing(owner)).containsExactly("news (\\HasNoChildren \\Subscribed)");

        join(mailboxes().unsubscribe(owner, name("#news.comp.mail.misc")));
        join(mailboxes().unsubscribe(owner, name("never subscribed")));
        assertThat(join(otherNode().subscriptions(owner))).containsExactly(name("news"));
        assertThat(join(mailboxes().subscriptions(user()))).isEmpty();
    }

    @Test
    void deletingAMailboxKeepsItsSubscription() {
        Username owner = user();
        create(owner, "gone");
        join(mailboxes().subscribe(owner, name("gone")));

        join(mailboxes().delete(owner, name("gone")));

        assertThat(join(mailboxes().subscriptions(owner))).containsExactly(name("gone"));
    }

    // ---- provisioning and INBOX (RFC 6154 defaults)

    @Test
    void provisionCreatesInboxAndTheSpecialUseDefaultsOnce() {
        Username owner = user();
        Mailbox inbox = join(mailboxes().provision(owner));

        assertThat(inbox.name()).isEqualTo(MailboxName.INBOX);
        assertThat(listing(owner)).containsExactly(
                "Archive (\\HasNoChildren \\Archive \\Subscribed)",
                "Drafts (\\HasNoChildren \\Drafts \\Subscribed)",
                "INBOX (\\HasNoChildren \\Subscribed)",
                "Junk (\\HasNoChildren \\Junk \\Subscribed)",
                "Sent (\\HasNoChildren \\Sent \\Subscribed)",
                "Trash (\\HasNoChildren \\Trash \\Subscribed)");

        join(mailboxes().delete(owner, name("Trash")));
        List<Mailbox> before = join(mailboxes().list(owner));
        assertThat(join(otherNode().provision(owner))).isEqualTo(inbox);
        assertThat(join(mailboxes().list(owner))).as("a deleted default stays deleted").isEqualTo(before);
    }

    @Test
    void provisionRespectsExistingMailboxesAndAttributes() {
        Username owner = user();
        Mailbox sent = create(owner, "Sent");
        join(mailboxes().create(owner, name("Papierkorb"), Set.of(SpecialUse.TRASH)));
        create(owner, "Junk/old");

        join(mailboxes().provision(owner));

        assertThat(listing(owner)).as("the mailboxes provisioning wrote are subscribed").containsExactly(
                "Archive (\\HasNoChildren \\Archive \\Subscribed)",
                "Drafts (\\HasNoChildren \\Drafts \\Subscribed)",
                "INBOX (\\HasNoChildren \\Subscribed)",
                "Junk (\\Noselect \\HasChildren)",
                "Junk/old (\\HasNoChildren)",
                "Papierkorb (\\HasNoChildren \\Trash)",
                "Sent (\\HasNoChildren \\Sent \\Subscribed)");
        assertThat(join(mailboxes().find(owner, name("Sent")))).contains(sent);
    }

    @Test
    void ensureInboxCreatesOnceAndThenReturnsTheSameMailbox() {
        Username owner = user();
        Mailbox first = join(mailboxes().ensureInbox(owner));
        Mailbox again = join(otherNode().ensureInbox(owner));

        assertThat(first.name()).isEqualTo(MailboxName.INBOX);
        assertThat(again).isEqualTo(first);
        assertThat(join(mailboxes().list(owner))).containsExactly(first);
    }

    // ---- two nodes at once

    @Test
    void twoNodesRacingCreateOfTheSameNameMakeExactlyOneMailbox() {
        for (int round = 0; round < 8; round++) {
            Username owner = user();
            CompletableFuture<Mailbox> a = mailboxes().create(owner, name("Shared/Race")).toCompletableFuture();
            CompletableFuture<Mailbox> b = otherNode().create(owner, name("Shared/Race")).toCompletableFuture();

            List<Mailbox> won = new ArrayList<>();
            for (CompletableFuture<Mailbox> f : List.of(a, b)) {
                try {
                    won.add(join(f));
                } catch (MailboxExistsException lost) {
                    // the other node won
                }
            }
            assertThat(won).hasSize(1);
            assertThat(join(mailboxes().list(owner))).containsExactlyElementsOf(won);
            assertThat(listing(owner)).containsExactly("Shared (\\Noselect \\HasChildren)",
                    "Shared/Race (\\HasNoChildren)");
        }
    }

    @Test
    void twoNodesRacingRenameOfTheSameMailboxMoveItExactlyOnce() {
        for (int round = 0; round < 8; round++) {
            Username owner = user();
            Mailbox source = create(owner, "Source");
            Mailbox child = create(owner, "Source/child");
            CompletableFuture<Void> a = mailboxes().rename(owner, name("Source"), name("Left")).toCompletableFuture();
            CompletableFuture<Void> b = otherNode().rename(owner, name("Source"), name("Right")).toCompletableFuture();

            int won = 0;
            for (CompletableFuture<Void> f : List.of(a, b)) {
                try {
                    join(f);
                    won++;
                } catch (MailboxNotFoundException lost) {
                    // the other rename moved it first
                }
            }
            assertThat(won).isEqualTo(1);
            List<Mailbox> all = join(mailboxes().list(owner));
            assertThat(all).hasSize(2);
            String winner = all.get(0).name().value();
            assertThat(winner).isIn("Left", "Right");
            assertThat(all).containsExactly(new Mailbox(source.id(), owner, name(winner), source.uidValidity()),
                    new Mailbox(child.id(), owner, name(winner + "/child"), child.uidValidity()));
        }
    }

    @Test
    void nodesRacingProvisionOfTheSameUserEndWithTheSameMailboxes() {
        for (int round = 0; round < 5; round++) {
            Username owner = user();
            List<CompletableFuture<Mailbox>> calls = List.of(
                    mailboxes().provision(owner).toCompletableFuture(),
                    otherNode().provision(owner).toCompletableFuture(),
                    otherNode().provision(owner).toCompletableFuture(),
                    mailboxes().ensureInbox(owner).toCompletableFuture());

            Set<Mailbox> inboxes = calls.stream().map(MailboxRepositoryContract::join).collect(Collectors.toSet());
            assertThat(inboxes).hasSize(1);
            List<Mailbox> all = join(mailboxes().list(owner));
            assertThat(all).extracting(m -> m.name().value())
                    .containsExactly("Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash");
            assertThat(join(otherNode().list(owner))).isEqualTo(all);
            assertThat(all).extracting(Mailbox::uidValidity).doesNotHaveDuplicates();
        }
    }

    @Test
    void theListingOfAUserIsTheSameOnEveryNode() {
        Username owner = user();
        join(mailboxes().provision(owner));
        create(owner, "a/b");
        join(mailboxes().subscribe(owner, name("a/b")));

        assertThat(join(otherNode().listWithAttributes(owner))).isEqualTo(join(mailboxes().listWithAttributes(owner)));
        assertThat(join(otherNode().listWithAttributes(owner)))
                .filteredOn(l -> l.name().equals(name("a"))).singleElement()
                .satisfies(l -> assertThat(l.mailbox()).isEqualTo(Optional.empty()));
    }
}
