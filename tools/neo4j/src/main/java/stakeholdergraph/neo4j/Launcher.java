package stakeholdergraph.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo;
import org.neo4j.internal.kernel.api.security.AuthenticationResult;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.api.security.AuthManager;
import org.neo4j.kernel.api.security.AuthToken;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

import inet.ipaddr.IPAddressString;

/**
 * Runs a Neo4j Community server (embedded DatabaseManagementService with the Bolt connector)
 * for local development and CI. Started and stopped by scripts/neo4j.
 *
 * <pre>
 * java [JVM flags] -cp 'target/neo4j-launcher.jar:target/lib/*' stakeholdergraph.neo4j.Launcher [--port N] [--data-dir DIR]
 * </pre>
 *
 * Environment: NEO4J_PORT (7687), NEO4J_DATA_DIR (.neo4j/data), NEO4J_PASSWORD (stakeholder-graph),
 * NEO4J_HOST (127.0.0.1), NEO4J_PAGECACHE (256m), NEO4J_TX_TOTAL_MAX (half the heap),
 * NEO4J_TX_MAX (a quarter of the heap), NEO4J_TX_LOG_RETENTION (transaction logs kept: 500M size). Command-line arguments win over the environment.
 *
 * The data directory is used as Neo4j's home: databases/, transactions/, logs/ (debug.log) live in it,
 * and import/: the only folder LOAD CSV reads files from (file:///x.csv is import/x.csv). LOAD CSV
 * fetches no URL at all (http, https, ftp): every address is on the server's IP block list.
 * Prints "neo4j ready on bolt://HOST:PORT" once Bolt answers, the password is in place and the
 * default database has run a query. SIGTERM (or Ctrl-C) shuts the databases down cleanly.
 */
public final class Launcher {
    static final String DEFAULT_PASSWORD = "stakeholder-graph";
    static final String USER = "neo4j";
    static final int MIN_PASSWORD = 8;

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        String host = opt(opts, "host", "NEO4J_HOST", "127.0.0.1");
        int port = Integer.parseInt(opt(opts, "port", "NEO4J_PORT", "7687"));
        Path dataDir = Path.of(opt(opts, "data-dir", "NEO4J_DATA_DIR", ".neo4j/data")).toAbsolutePath().normalize();
        String password = opt(opts, "password", "NEO4J_PASSWORD", DEFAULT_PASSWORD);
        String pageCache = opt(opts, "pagecache", "NEO4J_PAGECACHE", "256m");
        long heap = Runtime.getRuntime().maxMemory();
        String txTotalMax = opt(opts, "tx-total-max", "NEO4J_TX_TOTAL_MAX", (heap / 2 / ByteUnit.mebiBytes(1)) + "m");
        String txMax = opt(opts, "tx-max", "NEO4J_TX_MAX", (heap / 4 / ByteUnit.mebiBytes(1)) + "m");

        if (password.length() < MIN_PASSWORD) {
            // Neo4j refuses it too, but only after the databases started, with a stack trace.
            System.err.println("NEO4J_PASSWORD must be at least " + MIN_PASSWORD + " characters (Neo4j's rule)");
            System.exit(2);
        }
        Files.createDirectories(dataDir.resolve("import"));
        log("starting neo4j " + neo4jVersion() + " (home " + dataDir + ", bolt " + host + ":" + port
                + ", heap " + (heap / ByteUnit.mebiBytes(1)) + "m, pagecache " + pageCache
                + ", tx total max " + txTotalMax + ", tx max " + txMax + ")");

        long t0 = System.nanoTime();
        DatabaseManagementService dbms;
        try {
            dbms = build(dataDir, host, port, pageCache, txTotalMax, txMax);
        } catch (Throwable t) {
            log("startup failed: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean shutdownDone = new AtomicBoolean(false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (shutdownDone.compareAndSet(false, true)) {
                log("shutting down neo4j");
                try {
                    dbms.shutdown();
                    log("neo4j stopped");
                } catch (Throwable t) {
                    log("error during shutdown: " + t);
                }
            }
            stopped.countDown();
        }, "neo4j-shutdown"));

        try {
            long t1 = System.nanoTime();
            log(String.format(Locale.ROOT, "databases started in %.1f s", (t1 - t0) / 1e9));
            GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            String what;
            if (passwordAlreadySet(system, password)) {
                what = "already set";
            } else {
                ensurePassword(system, password);
                what = "set";
            }
            long t2 = System.nanoTime();
            log(String.format(Locale.ROOT, "password of user %s %s (%.1f s)", USER, what, (t2 - t1) / 1e9));
            // Make sure the default database really answers (and Cypher is warmed up) before announcing readiness.
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
            log(String.format(Locale.ROOT, "default database answered in %.1f s", (System.nanoTime() - t2) / 1e9));
        } catch (Throwable t) {
            log("startup failed: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1); // runs the shutdown hook
        }

        double cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1e3).orElse(-1.0);
        log(String.format(Locale.ROOT, "neo4j ready on bolt://%s:%d (user %s, started in %.1f s, cpu %.1f s)",
                host, port, USER, (System.nanoTime() - t0) / 1e9, cpu));
        stopped.await();
    }

    static DatabaseManagementService build(
            Path dataDir, String host, int port, String pageCache, String txTotalMax, String txMax) {
        return new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(GraphDatabaseSettings.data_directory, dataDir)
                .setConfig(GraphDatabaseSettings.logs_directory, dataDir.resolve("logs"))
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(host))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(10))
                // Netty's graceful-shutdown quiet period is 5 s per Bolt event loop group (two of them):
                // 10 s of idle waiting on every stop. Nothing is in flight once the databases are down.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                // LOAD CSV: files only from <data dir>/import, and no URL fetched from anywhere (a query must
                // not read the server's own files, nor make it call other machines).
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, dataDir.resolve("import"))
                .setConfig(GraphDatabaseInternalSettings.cypher_ip_blocklist,
                        List.of(new IPAddressString("0.0.0.0/0"), new IPAddressString("::/0")))
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.parse(txTotalMax))
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.parse(txMax))
                // Transaction logs are kept for point-in-time recovery, 2 days by default: gigabytes on a
                // development machine after a few big loads. Keep at most NEO4J_TX_LOG_RETENTION of them.
                .setConfig(GraphDatabaseSettings.keep_logical_logs,
                        opt(Map.of(), "", "NEO4J_TX_LOG_RETENTION", "500M size"))
                // dbms.usage_report.enabled=false: no anonymous usage reporting / phoning home.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .build();
    }

    /**
     * Sets the password of the built-in neo4j user and clears the "change required" flag.
     * Runs on the first start (user neo4j still has the built-in password "neo4j") and whenever
     * NEO4J_PASSWORD changed since the last start; creates the user if it was dropped.
     */
    static void ensurePassword(GraphDatabaseService system, String password) {
        Map<String, Object> params = Map.of("user", USER, "pw", password);
        system.executeTransactionally(
                "CREATE USER $user IF NOT EXISTS SET PASSWORD $pw CHANGE NOT REQUIRED", params);
        try {
            system.executeTransactionally(
                    "ALTER USER $user SET PASSWORD $pw CHANGE NOT REQUIRED", params);
        } catch (RuntimeException e) {
            // Setting the same password again is refused ("Old password and new password cannot be the same").
            if (!String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("cannot be the same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER $user SET PASSWORD CHANGE NOT REQUIRED", Map.of("user", USER));
        }
    }

    /**
     * True when user neo4j can already log in with this password and needs no password change.
     * Saves the administration commands on restarts, which cost 5-15 s of Cypher warm-up on 2 cores.
     * Uses Neo4j's internal AuthManager; on any API trouble it answers false and the password is set again.
     */
    static boolean passwordAlreadySet(GraphDatabaseService system, String password) {
        try {
            AuthManager auth = ((GraphDatabaseAPI) system).getDependencyResolver().resolveDependency(AuthManager.class);
            var result = auth.login(new HashMap<>(AuthToken.newBasicAuthToken(USER, password)),
                            ClientConnectionInfo.EMBEDDED_CONNECTION)
                    .subject()
                    .getAuthenticationResult();
            return result == AuthenticationResult.SUCCESS;
        } catch (Exception | LinkageError e) {
            log("could not check the current password (" + e + "), setting it");
            return false;
        }
    }

    static String neo4jVersion() {
        Package p = DatabaseManagementService.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "(unknown version)" : v;
    }

    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("missing value for " + a);
            }
            opts.put(key, value);
        }
        return opts;
    }

    static String opt(Map<String, String> opts, String key, String env, String def) {
        String v = opts.get(key);
        if (v == null || v.isEmpty()) {
            v = System.getenv(env);
        }
        return v == null || v.isEmpty() ? def : v;
    }

    static void log(String msg) {
        System.out.println(java.time.Instant.now() + " [launcher] " + msg);
        System.out.flush();
    }
}
