// Drives imapflow (a real Node.js IMAP client) against a Stratus node for ImapflowClientTest.
//
// usage: node imapflow_client.cjs MODULE_DIR HOST PORT USER PASSWORD MODE [ARGS...]
//   MODULE_DIR  the node_modules directory holding imapflow (clients/install.sh puts it in ~/.cache/stratus/node)
//   snapshot                    ENABLE CONDSTORE QRESYNC, SELECT INBOX; prints {enabled, uidValidity,
//                               highestModseq, uids}
//   resync UIDVALIDITY MODSEQ   ENABLE QRESYNC, SELECT INBOX (QRESYNC (UIDVALIDITY MODSEQ)) (RFC 7162 section
//                               3.2.5), then UID FETCH 1:* (FLAGS) (CHANGEDSINCE MODSEQ VANISHED); prints what
//                               each reported: {select: {qresync, vanished, flags}, fetch: {vanished, flags},
//                               highestModseq}
//   idle                        log in with AUTHENTICATE LOGIN, SELECT INBOX, IDLE; prints "IDLE accepted" once
//                               the server sent its "+", then {before, exists} when an untagged EXISTS wakes
//                               it, and logs out
// Every result is one JSON line on stdout prefixed "result "; a failure exits 1.
'use strict';

const path = require('path');
const [moduleDir, host, port, user, pass, mode, ...args] = process.argv.slice(2);
const { ImapFlow } = require(path.join(moduleDir, 'imapflow'));

function print(value) {
    process.stdout.write('result ' + JSON.stringify(value) + '\n');
}

// imapflow logs objects; only the moment IDLE is acknowledged matters here
const logger = {
    trace() {},
    debug(entry) {
        if (mode === 'idle' && entry && entry.msg === 'Initiated IDLE, waiting for server input') {
            process.stdout.write('IDLE accepted\n');
        }
    },
    info() {},
    warn() {},
    error(entry) {
        process.stderr.write('imapflow error ' + JSON.stringify(entry && entry.msg) + '\n');
    }
};

// The idle mode logs in with SASL LOGIN (AUTHENTICATE LOGIN), the others with imapflow's default (SASL PLAIN)
function connect() {
    const loginMethod = mode === 'idle' ? 'AUTH=LOGIN' : undefined;
    return new ImapFlow({
        host, port: Number(port), secure: false, auth: { user, pass, loginMethod },
        qresync: true, logger, disableAutoIdle: true, connectionTimeout: 30000
    });
}

async function snapshot(client) {
    await client.connect();
    const mailbox = await client.mailboxOpen('INBOX');
    const uids = [];
    for await (const m of client.fetch('1:*', { uid: true })) {
        uids.push(m.uid);
    }
    print({
        enabled: [...client.enabled].sort(),
        uidValidity: String(mailbox.uidValidity),
        highestModseq: String(mailbox.highestModseq),
        uids
    });
}

async function resync(client, uidValidity, modseq) {
    const select = { vanished: [], flags: {} };
    const fetch = { vanished: [], flags: {} };
    let phase = select;
    client.on('expunge', e => {
        if (e.vanished) {
            phase.vanished.push(e.uid);
        }
    });
    client.on('flags', e => {
        phase.flags[e.uid] = [...e.flags].sort();
    });
    await client.connect();
    const mailbox = await client.mailboxOpen('INBOX', { uidValidity: BigInt(uidValidity), changedSince: BigInt(modseq) });
    phase = fetch;
    for await (const m of client.fetch('1:*', { uid: true, flags: true }, { uid: true, changedSince: BigInt(modseq) })) {
        fetch.flags[m.uid] = [...m.flags].sort();
    }
    print({ select: { qresync: !!mailbox.qresync, ...select }, fetch, highestModseq: String(mailbox.highestModseq) });
}

async function idle(client) {
    await client.connect();
    const mailbox = await client.mailboxOpen('INBOX');
    const before = mailbox.exists;
    const woken = new Promise(resolve => client.on('exists', e => {
        if (e.count > before) {
            resolve(e.count);
        }
    }));
    // idle() resolves only when IDLE ends: the LOGOUT in main() ends it (DONE first)
    client.idle().catch(err => process.stderr.write('IDLE failed: ' + err + '\n'));
    const exists = await woken;
    print({ before, exists });
}

async function main() {
    const client = connect();
    const timer = setTimeout(() => {
        process.stderr.write('timed out\n');
        process.exit(1);
    }, 120000);
    try {
        if (mode === 'snapshot') {
            await snapshot(client);
        } else if (mode === 'resync') {
            await resync(client, args[0], args[1]);
        } else if (mode === 'idle') {
            await idle(client);
        } else {
            throw new Error('unknown mode ' + mode);
        }
        await client.logout();
    } finally {
        clearTimeout(timer);
    }
}

main().catch(err => {
    process.stderr.write('failed: ' + (err && err.stack || err) + (err && err.response ? ' response=' + err.response : '') + '\n');
    process.exit(1);
});
