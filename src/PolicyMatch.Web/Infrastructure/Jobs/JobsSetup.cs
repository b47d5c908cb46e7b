using System.Linq.Expressions;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Infrastructure.Jobs;

public sealed class JobsOptions
{
    /// <summary>
    /// Whether this process runs a Hangfire server (performs jobs). A process without one still
    /// enqueues jobs into the shared storage, for the nodes that run them.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the fan-out looks for notices whose send time has come.</summary>
    public TimeSpan FanOutInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the dispatcher looks for email to send (every fan-out and reminder run also enqueues it).</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Jobs performed at once by this process's server.</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>
    /// SQLite storage: how long a fetched job stays invisible to other workers before it is taken to be
    /// abandoned (its process died) and run again. Hangfire.Storage.SQLite does not renew it while the
    /// job runs, so it must exceed the longest job: see README ("the invisibility timeout").
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a server looks for due recurring/scheduled jobs and polls the SQLite queue.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>A recurring job a feature declares in its AddXFeature(); registered with Hangfire at start.</summary>
public sealed record RecurringJobDeclaration(string Id, Action<IRecurringJobManager, JobsOptions> Register);

/// <summary>
/// The job system: Hangfire, its storage by provider, the servers, and the declarations of recurring
/// jobs. Infrastructure knows no feature: each feature declares its jobs with
/// <see cref="AddRecurringJob{T}"/> and enqueues others through <see cref="IBackgroundJobClient"/>.
/// <list type="bullet">
/// <item>SQLite: Hangfire.Storage.SQLite in its own file (ConnectionStrings:Jobs, default jobs.db beside
/// the portal's database), so the job queue's polling never holds the portal's single writer lock.</item>
/// <item>PostgreSQL: Hangfire.PostgreSql in the portal's database (schema <c>hangfire</c>) with sliding
/// invisibility: a job's fetch is renewed while it runs, so every node is a server and each job runs on
/// one, and one killed with its node is re-run by another within seconds.</item>
/// </list>
/// </summary>
public static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<JobsOptions>().BindConfiguration("Jobs");
        services.AddSingleton<JobLeases>();
        // Everything Hangfire keeps per process is registered here per host, before AddHangfire (whose
        // registrations only fill what is missing): its defaults read Hangfire's globals (JobStorage.Current,
        // JobActivator.Current, GlobalJobFilters), which the last host to start overwrites. Two hosts in
        // one process (the tests, two nodes) would then share the other's storage, container and filters:
        // a disposed storage answering a request, a job built from another host's services. The log
        // provider stays global (Hangfire has no other), so it is one that outlives its host safely.
        services.AddSingleton<JobStorage>(sp => CreateStorage(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IOptions<JobsOptions>>().Value));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IJobFilterProvider>(_ => new JobFilterProviderCollection(JobFilters(), new JobFilterAttributeFilterProvider()));
        services.AddHangfire((sp, config) => config
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddHostedService<JobServerHost>();
        return services;
    }

    /// <summary>
    /// Declares a recurring job: <paramref name="cron"/> (from the options as they are at start) in the
    /// time zone <paramref name="zone"/>. Called from a feature's AddXFeature(). A run missed while no
    /// server was up runs once when one is (Relaxed misfire handling), not once per missed time.
    /// </summary>
    public static IServiceCollection AddRecurringJob<T>(this IServiceCollection services, string id, Expression<Func<T, Task>> job, Func<JobsOptions, string> cron, TimeZoneInfo zone)
        => services.AddSingleton(new RecurringJobDeclaration(id, (manager, options) =>
            manager.AddOrUpdate(id, job, cron(options), new RecurringJobOptions { TimeZone = zone, MisfireHandling = MisfireHandlingMode.Relaxed })));

    /// <summary>
    /// A cron expression for "every <paramref name="interval"/>": seconds (6-field cron) when under a
    /// minute, minutes otherwise. The interval must divide a minute or an hour evenly.
    /// </summary>
    public static string Every(TimeSpan interval)
    {
        if (interval >= TimeSpan.FromSeconds(1) && interval < TimeSpan.FromMinutes(1) && 60 % (int)interval.TotalSeconds == 0 && interval.Milliseconds == 0)
        {
            return $"*/{(int)interval.TotalSeconds} * * * * *";
        }
        if (interval >= TimeSpan.FromMinutes(1) && interval < TimeSpan.FromHours(1) && 60 % (int)interval.TotalMinutes == 0 && interval.Seconds == 0)
        {
            return $"0 */{(int)interval.TotalMinutes} * * * *";
        }
        throw new InvalidOperationException($"The interval {interval} is not a whole number of seconds or minutes dividing a minute or an hour (e.g. 00:00:15, 00:05:00)");
    }

    /// <summary>
    /// Runs a Hangfire server when Jobs:Enabled is true as the host's options say at start, after the
    /// migrations (Program.cs applies them before the host starts). Registers every declared
    /// recurring job, removes the ones no feature declares any more, and stops the server waiting for
    /// running jobs (they get their cancellation token signalled).
    /// </summary>
    private sealed class JobServerHost(
        IServiceProvider services, IOptions<JobsOptions> options, IEnumerable<RecurringJobDeclaration> declarations, ILogger<JobServerHost> logger) : IHostedService
    {
        private BackgroundJobServer? _server;
        private Task _registering = Task.CompletedTask;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var o = options.Value;
            if (!o.Enabled)
            {
                // The storage is opened when something is first enqueued (or the dashboard is opened).
                logger.LogInformation("No Hangfire server in this process (Jobs:Enabled is false); jobs are only enqueued here");
                return;
            }
            JobStorage storage;
            // The first node to start creates the storage's tables (PostgreSQL: the hangfire schema);
            // under the start-up lock, so two nodes starting together do not both try.
            await using (await services.GetRequiredService<StartupLock>().AcquireAsync(cancellationToken))
            {
                storage = services.GetRequiredService<JobStorage>();
            }
            _server = new BackgroundJobServer(
                new BackgroundJobServerOptions
                {
                    WorkerCount = Math.Max(1, o.WorkerCount),
                    SchedulePollingInterval = o.PollInterval,
                    ServerName = $"{Environment.MachineName}:{Environment.ProcessId}",
                    // Jobs are built by the container (their services), with the filters configured above.
                    Activator = services.GetRequiredService<JobActivator>(),
                    FilterProvider = services.GetRequiredService<IJobFilterProvider>(),
                    // Stopping: running jobs see their token cancelled, and get this long to finish.
                    ShutdownTimeout = TimeSpan.FromSeconds(30),
                    StopTimeout = TimeSpan.FromSeconds(30),
                },
                storage);
            // Registered beside the running server rather than before it: each AddOrUpdate takes
            // Hangfire's lock on that recurring job, which a busy cluster may hold for moments, and a
            // node should not wait for that to serve requests. The stored schedules are used meanwhile.
            _registering = Task.Run(() => Register(storage, o), CancellationToken.None);
        }

        private void Register(JobStorage storage, JobsOptions o)
        {
            var manager = new RecurringJobManager(storage);
            var declared = declarations.ToList();
            foreach (var declaration in declared)
            {
                try
                {
                    declaration.Register(manager, o);
                }
                catch (Exception e) when (e is DistributedLockTimeoutException || e.GetType().Name.Contains("DistributedLock", StringComparison.Ordinal))
                {
                    // Another node is registering or triggering it this moment, or a killed process left
                    // its lock until it goes stale: the stored schedule stays, and this server runs it.
                    logger.LogWarning("Recurring job {Id} not updated at start: {Error}", declaration.Id, e.Message);
                }
            }
            using var connection = storage.GetConnection();
            foreach (var stale in connection.GetRecurringJobs().Select(j => j.Id).Except(declared.Select(d => d.Id)))
            {
                manager.RemoveIfExists(stale);
            }
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await _registering.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (_server is not null)
            {
                _server.SendStop();
                try
                {
                    await _server.WaitForShutdownAsync(cancellationToken);
                }
                finally
                {
                    // Whatever the host's stop timeout: no worker may fetch a job after the host is gone.
                    _server.Dispose();
                }
            }
        }
    }

    /// <summary>
    /// Hangfire's default filters, each once, with this portal's retry policy: a job that throws is
    /// retried three times (after about 10 s, 1 min, 5 min) and then stays failed on the dashboard, each
    /// failure recorded with its exception.
    /// </summary>
    private static JobFilterCollection JobFilters()
    {
        var filters = new JobFilterCollection();
        filters.Add(new CaptureCultureAttribute());
        filters.Add(new AutomaticRetryAttribute { Attempts = 3, DelaysInSeconds = [10, 60, 300] });
        filters.Add(new StatisticsHistoryAttribute());
        filters.Add(new ContinuationsSupportAttribute());
        return filters;
    }

    /// <summary>This host's job storage, by provider; see the class summary.</summary>
    private static JobStorage CreateStorage(IConfiguration configuration, JobsOptions options)
    {
        var provider = DatabaseSetup.ProviderOf(configuration);
        var connectionString = JobsConnectionString(configuration, provider);
        if (provider == DbProvider.PostgreSql)
        {
            var storageOptions = new PostgreSqlStorageOptions
            {
                UseSlidingInvisibilityTimeout = true,
                QueuePollInterval = options.PollInterval,
                PrepareSchemaIfNecessary = true,
                SchemaName = "hangfire",
                // Hangfire holds its own locks for moments (triggering a recurring job, a state change);
                // one left by a node killed while holding it is taken to be stale after this, rather
                // than the default 10 minutes that would stall that recurring job.
                DistributedLockTimeout = TimeSpan.FromSeconds(30),
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
        }
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        return new SQLiteStorage(file, new SQLiteStorageOptions
        {
            InvisibilityTimeout = options.InvisibilityTimeout,
            QueuePollInterval = options.PollInterval,
        });
    }

    /// <summary>
    /// ConnectionStrings:Jobs when set. Otherwise, on SQLite, a jobs.db file beside the portal's
    /// database file; on PostgreSQL, the portal's own database (the hangfire schema beside the app's tables).
    /// </summary>
    private static string JobsConnectionString(IConfiguration configuration, DbProvider provider)
    {
        var configured = configuration.GetConnectionString("Jobs");
        if (provider == DbProvider.PostgreSql)
        {
            return string.IsNullOrWhiteSpace(configured) ? configuration.GetConnectionString("PolicyMatch") ?? "" : configured;
        }
        return SqliteConnectionFactory.BuildConnectionString(configured ?? DefaultJobsConnectionString(configuration));
    }

    private static string DefaultJobsConnectionString(IConfiguration configuration)
    {
        var portal = new SqliteConnectionStringBuilder(SqliteConnectionFactory.BuildConnectionString(configuration.GetConnectionString("PolicyMatch")));
        var directory = Path.GetDirectoryName(Path.GetFullPath(portal.DataSource)) ?? "data";
        return $"Data Source={Path.Combine(directory, "jobs.db")}";
    }
}
