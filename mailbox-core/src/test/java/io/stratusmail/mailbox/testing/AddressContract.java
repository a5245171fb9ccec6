package io.stratusmail.mailbox.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.address.AddressRejectedException;
import io.stratusmail.mailbox.address.AddressRejectedException.Reason;
import io.stratusmail.mailbox.address.Addresses;
import io.stratusmail.mailbox.address.Alias;
import io.stratusmail.mailbox.address.AliasRepository;
import io.stratusmail.mailbox.address.Domain;
import io.stratusmail.mailbox.address.DomainRepository;
import io.stratusmail.mailbox.address.RecipientResolver;
import io.stratusmail.mailbox.address.Resolution;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Accounts;
import io.stratusmail.mailbox.user.PasswordHasher;
import io.stratusmail.mailbox.user.UnknownUserException;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every store must show for accounts, aliases and local domains, run against the in-memory fake and
 * against real Cassandra. A subclass supplies the repositories ({@link #repositories()}); each test uses
 * addresses of its own, and tests that list local domains remove them again (the list is shared state).
 */
public abstract class AddressContract {

    /** The repositories under test; may be one object implementing several of them. */
    public record Repositories(UserRepository users, MailboxRepository mailboxes, MessageStore messages,
                               AliasRepository aliases, DomainRepository domains) {
    }

    private static final byte[] MESSAGE = "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    private ExecutorService hashing;
    protected Repositories repos;
    protected Accounts accounts;
    protected Addresses addresses;
    protected RecipientResolver resolver;
    private String tag;

    /** A fresh view of the store under test; called before each test. */
    protected abstract Repositories repositories();

    @BeforeEach
    void setUpContract() {
        hashing = Executors.newFixedThreadPool(2);
        repos = repositories();
        accounts = new Accounts(repos.users(), repos.mailboxes(), new PasswordHasher(64, 1, 1), hashing);
        addresses = new Addresses(repos.users(), repos.aliases(), repos.domains());
        resolver = addresses.resolver();
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void removeLocalDomains() throws InterruptedException {
        for (Domain d : join(repos.domains().listDomains())) {
            join(repos.domains().deleteDomain(d));
        }
        hashing.shutdown();
        hashing.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** {@code local-TAG@domain}: unique per test. */
    protected Username address(String local, String domain) {
        return Username.of(local + "-" + tag + "@" + domain);
    }

    /** {@code name-TAG.test}: a domain unique per test. */
    protected Domain domain(String name) {
        return Domain.of(name + "-" + tag + ".test");
    }

    protected Username user(String local, String domain) {
        Username u = address(local, domain);
        join(accounts.createOrUpdate(u, "pw".toCharArray()));
        return u;
    }

    // ---- accounts

    @Test
    public void changePasswordOfAnExistingUserReplacesIt() {
        Username alice = user("alice", "example.com");

        join(accounts.changePassword(alice, "new secret".toCharArray()));

        assertThat(join(accounts.authenticate(alice, "new secret".toCharArray()))).isTrue();
        assertThat(join(accounts.authenticate(alice, "pw".toCharArray()))).isFalse();
    }

    @Test
    public void changePasswordOfAnUnknownUserFailsAndCreatesNobody() {
        Username nobody = address("nobody", "example.com");

        assertThat(failure(accounts.changePassword(nobody, "x".toCharArray())))
                .isInstanceOf(UnknownUserException.class).hasMessageContaining(nobody.value());
        assertThat(join(accounts.exists(nobody))).isFalse();
        assertThat(failure(accounts.changePassword(user("empty", "example.com"), new char[0])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void mixedCaseAddressesNameTheSameAccount() {
        String local = "Carol-" + tag;
        join(accounts.createOrUpdate(Username.of(local + "@Example.COM"), "pw".toCharArray()));

        assertThat(join(accounts.authenticate(Username.of(local.toUpperCase() + "@example.com"), "pw".toCharArray())))
                .isTrue();
        assertThat(join(resolver.resolve(Username.of(local.toLowerCase() + "@EXAMPLE.com"))))
                .isInstanceOf(Resolution.Account.class);
    }

    @Test
    public void deletingAUserDeletesAllItsMailAndANewUserOfTheSameNameStartsEmpty() {
        Username dave = user("dave", "example.com");
        Mailbox inbox = join(repos.mailboxes().ensureInbox(dave));
        Mailbox archive = join(repos.mailboxes().create(dave, new MailboxName("Projects/2024")));
        join(repos.messages().append(inbox, MESSAGE, Flags.EMPTY, Instant.now()));
        join(repos.messages().append(inbox, MESSAGE, Flags.EMPTY, Instant.now()));
        join(repos.messages().append(archive, MESSAGE, Flags.EMPTY, Instant.now()));

        assertThat(join(accounts.delete(dave))).isTrue();

        assertThat(join(accounts.exists(dave))).isFalse();
        assertThat(join(accounts.authenticate(dave, "pw".toCharArray()))).isFalse();
        assertThat(join(repos.mailboxes().list(dave))).isEmpty();
        assertThat(join(accounts.delete(dave))).isFalse();

        join(accounts.createOrUpdate(dave, "other".toCharArray()));
        Mailbox newInbox = join(repos.mailboxes().find(dave, MailboxName.INBOX)).orElseThrow();
        assertThat(newInbox.id()).isNotEqualTo(inbox.id());
        assertThat(newInbox.uidValidity()).isNotEqualTo(inbox.uidValidity());
        assertThat(join(repos.messages().snapshot(newInbox)).messages()).isEmpty();
        assertThat(join(repos.mailboxes().find(dave, new MailboxName("Projects/2024")))).isEmpty();
        // a new account: INBOX and the default mailboxes again, nothing of the old one
        assertThat(join(repos.mailboxes().list(dave))).extracting(Mailbox::name)
                .contains(MailboxName.INBOX, new MailboxName("Sent"))
                .doesNotContain(new MailboxName("Projects/2024"));
        for (Mailbox m : join(repos.mailboxes().list(dave))) {
            assertThat(m.uidValidity()).isNotIn(inbox.uidValidity(), archive.uidValidity());
            assertThat(join(repos.messages().snapshot(m)).messages()).isEmpty();
        }
        assertThat(join(accounts.authenticate(dave, "pw".toCharArray()))).isFalse();
    }

    @Test
    public void deletingAUserLeavesOtherUsersMailAlone() {
        Username erin = user("erin", "example.com");
        Username frank = user("frank", "example.com");
        Mailbox frankInbox = join(repos.mailboxes().ensureInbox(frank));
        join(repos.messages().append(frankInbox, MESSAGE, Flags.EMPTY, Instant.now()));

        join(accounts.delete(erin));

        assertThat(join(repos.messages().snapshot(frankInbox)).messages()).hasSize(1);
        assertThat(join(accounts.exists(frank))).isTrue();
    }

    @Test
    public void passwordChangesRacingWithADeletionNeverBringTheUserBack() throws Exception {
        for (int i = 0; i < 5; i++) {
            Username gina = user("gina" + i, "example.com");
            CompletableFuture<Void> change = accounts.changePassword(gina, "new".toCharArray()).toCompletableFuture()
                    .exceptionally(e -> {
                        assertThat(unwrap(e)).isInstanceOf(UnknownUserException.class);
                        return null;
                    });
            CompletableFuture<Boolean> delete = accounts.delete(gina).toCompletableFuture();
            change.get(30, TimeUnit.SECONDS);
            assertThat(delete.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(join(accounts.exists(gina))).as("round %d", i).isFalse();
        }
    }

    // ---- aliases

    @Test
    public void anAddressAliasDeliversToItsTarget() {
        Username alice = user("alice", "example.com");
        Username sales = address("sales", "example.com");

        join(addresses.addAlias(new Alias.AddressAlias(sales, alice)));

        assertThat(join(resolver.resolve(sales))).isEqualTo(new Resolution.Account(sales, alice, List.of(sales, alice)));
        assertThat(join(resolver.resolve(alice))).isEqualTo(new Resolution.Account(alice, alice, List.of(alice)));
        Username upper = Username.of(sales.value().toUpperCase());
        assertThat(join(resolver.resolve(upper))).isInstanceOf(Resolution.Account.class)
                .extracting(r -> ((Resolution.Account) r).user()).isEqualTo(alice);
    }

    // ---- subaddresses (RFC 5233)

    /** {@code base} with {@code +detail} inserted before the {@code @}. */
    private static Username plus(Username base, String detail) {
        String v = base.value();
        int at = v.indexOf('@');
        return Username.of(v.substring(0, at) + "+" + detail + v.substring(at));
    }

    @Test
    public void aSubaddressOfAUserResolvesToTheUserWithItsDetail() {
        Username alice = user("alice", "example.com");
        Username work = plus(alice, "Work");

        assertThat(join(resolver.resolve(work, "+")))
                .isEqualTo(new Resolution.Account(work, alice, List.of(work, alice), Optional.of("work")));
        assertThat(join(resolver.resolve(plus(alice, "a+b"), "+")))
                .extracting(r -> ((Resolution.Account) r).detail()).isEqualTo(Optional.of("a+b"));
        assertThat(join(resolver.resolve(plus(alice, ""), "+")))
                .extracting(r -> ((Resolution.Account) r).detail()).isEqualTo(Optional.of(""));
    }

    @Test
    public void withoutSubaddressingASubaddressIsUnknown() {
        Username alice = user("alice", "example.com");
        Username work = plus(alice, "work");

        assertThat(join(resolver.resolve(work))).isEqualTo(new Resolution.UnknownUser(work));
        assertThat(join(resolver.resolve(work, ""))).isEqualTo(new Resolution.UnknownUser(work));
        Username leading = Username.of("+" + alice.value());
        assertThat(join(resolver.resolve(leading, "+"))).isEqualTo(new Resolution.UnknownUser(leading));
        Username nobody = plus(address("nobody", "example.com"), "work");
        assertThat(join(resolver.resolve(nobody, "+"))).isEqualTo(new Resolution.UnknownUser(nobody));
    }

    @Test
    public void anAccountOrAliasNamedWithTheSeparatorWinsOverSubaddressing() {
        Username alice = user("alice", "example.com");
        Username literal = plus(alice, "lists");
        join(accounts.createOrUpdate(literal, "pw".toCharArray()));

        assertThat(join(resolver.resolve(literal, "+")))
                .isEqualTo(new Resolution.Account(literal, literal, List.of(literal)));
    }

    @Test
    public void aSubaddressOfAnAliasFollowsTheAlias() {
        Username alice = user("alice", "example.com");
        Username sales = address("sales", "example.com");
        join(addresses.addAlias(new Alias.AddressAlias(sales, alice)));
        Username q1 = plus(sales, "q1");

        assertThat(join(resolver.resolve(q1, "+")))
                .isEqualTo(new Resolution.Account(q1, alice, List.of(q1, sales, alice), Optional.of("q1")));
    }

    @Test
    public void aliasesOfAliasesAreFollowed() {
        Username alice = user("alice", "example.com");
        Username team = address("team", "example.com");
        Username all = address("all", "example.com");
        join(addresses.addAlias(new Alias.AddressAlias(team, alice)));
        join(addresses.addAlias(new Alias.AddressAlias(all, team)));

        assertThat(join(resolver.resolve(all))).isEqualTo(new Resolution.Account(all, alice, List.of(all, team, alice)));
    }

    @Test
    public void aDomainAliasDeliversTheSameLocalPartInTheOtherDomain() {
        Domain oldDomain = domain("old");
        Domain newDomain = domain("new");
        Username bob = user("bob", newDomain.value());
        join(addresses.addAlias(new Alias.DomainAlias(oldDomain, newDomain)));
        Username oldBob = address("bob", oldDomain.value());

        assertThat(join(resolver.resolve(oldBob))).isEqualTo(new Resolution.Account(oldBob, bob, List.of(oldBob, bob)));
        assertThat(join(resolver.resolve(address("nobody", oldDomain.value()))))
                .isInstanceOf(Resolution.UnknownUser.class);
        assertThat(join(repos.aliases().domainAlias(oldDomain))).contains(newDomain);
    }

    @Test
    public void aUserOrAnAddressAliasOfTheOldDomainTakesPrecedenceOverTheDomainAlias() {
        Domain oldDomain = domain("old");
        Domain newDomain = domain("new");
        user("carl", newDomain.value());
        Username oldCarl = user("carl", oldDomain.value());
        Username alice = user("alice", newDomain.value());
        Username oldSales = address("sales", oldDomain.value());
        join(addresses.addAlias(new Alias.DomainAlias(oldDomain, newDomain)));
        join(addresses.addAlias(new Alias.AddressAlias(oldSales, alice)));

        assertThat(join(resolver.resolve(oldCarl))).isEqualTo(new Resolution.Account(oldCarl, oldCarl, List.of(oldCarl)));
        assertThat(join(resolver.resolve(oldSales)))
                .isEqualTo(new Resolution.Account(oldSales, alice, List.of(oldSales, alice)));
    }

    @Test
    public void domainAliasesChainAndMixWithAddressAliases() {
        Domain a = domain("a");
        Domain b = domain("b");
        Domain c = domain("c");
        Username target = user("target", c.value());
        join(addresses.addAlias(new Alias.DomainAlias(b, c)));
        join(addresses.addAlias(new Alias.DomainAlias(a, b)));
        Username viaAlias = address("x", b.value());
        join(addresses.addAlias(new Alias.AddressAlias(viaAlias, address("target", a.value()))));

        Username start = address("target", a.value());
        assertThat(join(resolver.resolve(start))).isEqualTo(new Resolution.Account(start, target,
                List.of(start, address("target", b.value()), target)));
        Resolution r = join(resolver.resolve(viaAlias));
        assertThat(r).isInstanceOf(Resolution.Account.class);
        assertThat(((Resolution.Account) r).user()).isEqualTo(target);
    }

    @Test
    public void anAliasThatWouldCloseALoopIsRefused() {
        Username alice = user("alice", "example.com");
        Username a = address("a", "example.com");
        Username b = address("b", "example.com");
        join(addresses.addAlias(new Alias.AddressAlias(a, alice)));
        join(addresses.addAlias(new Alias.AddressAlias(b, a)));

        assertThat(failure(addresses.addAlias(new Alias.AddressAlias(a, b))))
                .isInstanceOf(AddressRejectedException.class)
                .hasMessageContaining("alias loop")
                .hasMessageContaining(a.value() + " -> " + b.value() + " -> " + a.value())
                .extracting(e -> ((AddressRejectedException) e).reason()).isEqualTo(Reason.ALIAS_LOOP);
        assertThat(reason(addresses.addAlias(new Alias.AddressAlias(b, b)))).isEqualTo(Reason.ALIAS_LOOP);
        // nothing changed: both still lead to alice
        assertThat(((Resolution.Account) join(resolver.resolve(b))).user()).isEqualTo(alice);
    }

    @Test
    public void aDomainAliasThatWouldCloseALoopIsRefused() {
        Domain a = domain("a");
        Domain b = domain("b");
        Domain c = domain("c");
        join(addresses.addAlias(new Alias.DomainAlias(a, b)));
        join(addresses.addAlias(new Alias.DomainAlias(b, c)));

        assertThat(failure(addresses.addAlias(new Alias.DomainAlias(c, a))))
                .isInstanceOf(AddressRejectedException.class).hasMessageContaining("alias loop");
        assertThat(reason(addresses.addAlias(new Alias.DomainAlias(a, a)))).isEqualTo(Reason.ALIAS_LOOP);
        assertThat(join(repos.aliases().domainAlias(c))).isEmpty();
    }

    @Test
    public void aLoopStoredAnywayEndsResolutionWithLoopNotAnEndlessChase() {
        // what two administrators racing can leave behind: the checks ran before either alias was stored
        Username a = address("a", "example.com");
        Username b = address("b", "example.com");
        join(repos.aliases().putAlias(new Alias.AddressAlias(a, b)));
        join(repos.aliases().putAlias(new Alias.AddressAlias(b, a)));

        assertThat(join(resolver.resolve(a))).isEqualTo(new Resolution.Loop(a, List.of(a, b, a)));
        Domain x = domain("x");
        Domain y = domain("y");
        join(repos.aliases().putAlias(new Alias.DomainAlias(x, y)));
        join(repos.aliases().putAlias(new Alias.DomainAlias(y, x)));
        assertThat(join(resolver.resolve(address("z", x.value())))).isInstanceOf(Resolution.Loop.class);
    }

    @Test
    public void chainsLongerThanTheHopLimitAreLoops() {
        Username end = user("end", "example.com");
        List<Username> chain = new ArrayList<>();
        Username target = end;
        for (int i = 0; i < RecipientResolver.MAX_HOPS; i++) {
            Username hop = address("hop" + i, "example.com");
            join(addresses.addAlias(new Alias.AddressAlias(hop, target)));
            chain.add(hop);
            target = hop;
        }
        Username longest = chain.get(chain.size() - 1);
        assertThat(join(resolver.resolve(longest))).isInstanceOf(Resolution.Account.class);

        Username tooFar = address("toofar", "example.com");
        assertThat(reason(addresses.addAlias(new Alias.AddressAlias(tooFar, longest)))).isEqualTo(Reason.ALIAS_LOOP);
        join(repos.aliases().putAlias(new Alias.AddressAlias(tooFar, longest)));
        assertThat(join(resolver.resolve(tooFar))).isInstanceOf(Resolution.Loop.class);
    }

    @Test
    public void racingAliasesThatFormALoopLeaveResolutionFinite() throws Exception {
        Username alice = user("alice", "example.com");
        Username a = address("a", "example.com");
        Username b = address("b", "example.com");
        join(addresses.addAlias(new Alias.AddressAlias(a, alice)));
        join(addresses.addAlias(new Alias.AddressAlias(b, alice)));

        CompletableFuture<Void> ab = addresses.addAlias(new Alias.AddressAlias(a, b)).toCompletableFuture();
        CompletableFuture<Void> ba = addresses.addAlias(new Alias.AddressAlias(b, a)).toCompletableFuture();
        CompletableFuture.allOf(ab, ba).handle((v, e) -> null).get(30, TimeUnit.SECONDS);

        for (Username start : List.of(a, b)) {
            Resolution r = join(resolver.resolve(start));
            assertThat(r).isInstanceOfAny(Resolution.Account.class, Resolution.Loop.class);
            if (r instanceof Resolution.Account account) {
                assertThat(account.user()).isEqualTo(alice);
            }
        }
    }

    @Test
    public void anAliasMustLeadToAUserAndMustNotShadowOne() {
        Username alice = user("alice", "example.com");
        Username ghost = address("ghost", "example.com");

        assertThat(failure(addresses.addAlias(new Alias.AddressAlias(address("x", "example.com"), ghost))))
                .isInstanceOf(AddressRejectedException.class).hasMessageContaining(ghost.value());
        assertThat(reason(addresses.addAlias(new Alias.AddressAlias(address("x", "example.com"), ghost))))
                .isEqualTo(Reason.UNKNOWN_TARGET);
        assertThat(reason(addresses.addAlias(new Alias.AddressAlias(alice, user("bob", "example.com")))))
                .isEqualTo(Reason.SOURCE_IS_USER);
        assertThat(reason(addresses.checkNewUser(alice))).isNull();
        Username sales = address("sales", "example.com");
        join(addresses.addAlias(new Alias.AddressAlias(sales, alice)));
        assertThat(reason(addresses.checkNewUser(sales))).isEqualTo(Reason.ADDRESS_IS_ALIAS);
    }

    @Test
    public void aliasesAreListedSortedReplacedAndDeleted() {
        Username alice = user("alice", "example.com");
        Username bob = user("bob", "example.com");
        Username sales = address("sales", "example.com");
        Username info = address("info", "example.com");
        Domain old = domain("old");
        join(addresses.addAlias(new Alias.AddressAlias(sales, alice)));
        join(addresses.addAlias(new Alias.AddressAlias(info, alice)));
        join(addresses.addAlias(new Alias.DomainAlias(old, Domain.of("example.com"))));
        join(addresses.addAlias(new Alias.AddressAlias(sales, bob)));

        List<Alias> mine = join(addresses.aliases()).stream().filter(a -> a.sourceText().contains(tag)).toList();
        assertThat(mine).containsExactly(new Alias.DomainAlias(old, Domain.of("example.com")),
                new Alias.AddressAlias(info, alice), new Alias.AddressAlias(sales, bob));
        assertThat(mine.get(0).sourceText()).isEqualTo("@" + old.value());
        assertThat(((Resolution.Account) join(resolver.resolve(sales))).user()).isEqualTo(bob);

        assertThat(join(addresses.deleteAddressAlias(sales))).isTrue();
        assertThat(join(addresses.deleteAddressAlias(sales))).isFalse();
        assertThat(join(addresses.deleteDomainAlias(old))).isTrue();
        assertThat(join(addresses.deleteDomainAlias(old))).isFalse();
        assertThat(join(resolver.resolve(sales))).isEqualTo(new Resolution.UnknownUser(sales));
        assertThat(join(addresses.aliases())).doesNotContain(new Alias.AddressAlias(sales, bob));
    }

    @Test
    public void aDeletedTargetUserMakesItsAliasesUnknown() {
        Username alice = user("alice", "example.com");
        Username sales = address("sales", "example.com");
        join(addresses.addAlias(new Alias.AddressAlias(sales, alice)));

        join(accounts.delete(alice));

        assertThat(join(resolver.resolve(sales))).isEqualTo(new Resolution.UnknownUser(sales));
    }

    // ---- local domains

    @Test
    public void withoutLocalDomainsEveryDomainIsAccepted() {
        assertThat(join(addresses.domains())).isEmpty();
        Username nobody = address("nobody", "anywhere.example");

        assertThat(join(resolver.resolve(nobody))).isEqualTo(new Resolution.UnknownUser(nobody));
        assertThat(join(repos.domains().acceptsDomain(Domain.of("anywhere.example")))).isTrue();
    }

    @Test
    public void localDomainsAreListedSortedAndRefuseOtherDomains() {
        Domain local = domain("local");
        Domain other = domain("other");
        Username inOther = user("olga", other.value());
        Username inLocal = user("luke", local.value());

        assertThat(join(addresses.addDomain(local))).isTrue();
        assertThat(join(addresses.addDomain(Domain.of(local.value().toUpperCase())))).isFalse();
        assertThat(join(addresses.addDomain(domain("a-first")))).isTrue();

        assertThat(join(addresses.domains())).containsExactly(domain("a-first"), local);
        assertThat(join(resolver.resolve(inLocal))).isInstanceOf(Resolution.Account.class);
        assertThat(join(resolver.resolve(inOther))).isEqualTo(new Resolution.UnknownDomain(inOther, other));
        assertThat(reason(addresses.checkNewUser(address("new", other.value())))).isEqualTo(Reason.DOMAIN_NOT_LOCAL);
        assertThat(reason(addresses.checkNewUser(address("new", local.value())))).isNull();
        assertThat(reason(addresses.addAlias(new Alias.AddressAlias(address("x", other.value()), inLocal))))
                .isEqualTo(Reason.DOMAIN_NOT_LOCAL);
        assertThat(reason(addresses.addAlias(new Alias.DomainAlias(other, local)))).isEqualTo(Reason.DOMAIN_NOT_LOCAL);

        assertThat(join(addresses.deleteDomain(local))).isTrue();
        assertThat(join(addresses.deleteDomain(local))).isFalse();
        assertThat(join(resolver.resolve(inLocal))).isInstanceOf(Resolution.UnknownDomain.class);
        assertThat(join(addresses.deleteDomain(domain("a-first")))).isTrue();
        assertThat(join(resolver.resolve(inOther))).isInstanceOf(Resolution.Account.class);
    }

    @Test
    public void aListedOldDomainDeliversThroughItsDomainAlias() {
        Domain oldDomain = domain("old");
        Domain newDomain = domain("new");
        Username pat = user("pat", newDomain.value());
        join(addresses.addDomain(oldDomain));
        join(addresses.addDomain(newDomain));
        join(addresses.addAlias(new Alias.DomainAlias(oldDomain, newDomain)));

        Resolution r = join(resolver.resolve(address("pat", oldDomain.value())));
        assertThat(r).isInstanceOf(Resolution.Account.class);
        assertThat(((Resolution.Account) r).user()).isEqualTo(pat);
    }

    // ---- helpers

    protected static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected static Throwable failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return unwrap(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("expected the stage to fail");
    }

    /** The refusal reason of a stage, or null when it succeeds. */
    private static Reason reason(CompletionStage<?> stage) {
        Throwable t = catchThrowable(() -> stage.toCompletableFuture().get(30, TimeUnit.SECONDS));
        if (t == null) {
            return null;
        }
        Throwable cause = unwrap(t instanceof ExecutionException ? t.getCause() : t);
        assertThat(cause).isInstanceOf(AddressRejectedException.class);
        return ((AddressRejectedException) cause).reason();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
