using Dapper;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Infrastructure.Jobs;

/// <summary>
/// "Not twice at once" for jobs, across processes and nodes: a job that sends (or swaps stored rows)
/// takes a named lease in the portal's database (<c>job_leases</c>) and holds it while it runs,
/// renewing it every <see cref="Renewal"/>. Another run that finds the lease held skips its turn
/// (the holder re-enqueues itself while work remains, and the recurring schedule comes round again).
/// A process killed mid-run stops renewing, and its lease is free after at most <see cref="Lifetime"/>.
/// <para>
/// Why not Hangfire's <c>[DisableConcurrentExecution]</c>: it waits for the lock and then fails the
/// job (a failed job per overlap on the dashboard), and the SQLite storage's lock expiry is its own.
/// A lease in the portal's database behaves the same on SQLite and PostgreSQL and is tested here.
/// </para>
/// </summary>
public sealed class JobLeases(IDbConnectionFactory connections, TimeProvider clock, ILogger<JobLeases> logger)
{
    /// <summary>How long a lease lasts without renewal: how long a killed process blocks the next run.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(4);

    /// <summary>This process's name on its leases.</summary>
    public static readonly string Holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>The lease, or null when another run holds it (the caller then skips its turn).</summary>
    public async Task<JobLease?> TryAcquireAsync(string name, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await connections.OpenAsync(ct);
        // One statement: insert, or take over a lease that ran out (or is already ours).
        var taken = await db.ExecuteAsync("""
            INSERT INTO job_leases (name, holder, lease_until) VALUES (@Name, @Holder, @Until)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
            WHERE job_leases.lease_until < @Now OR job_leases.holder = @Holder
            """, new { Name = name, Holder = Holder + ":" + name, Until = Of(now + Lifetime), Now = Of(now) });
        return taken == 1 ? new JobLease(this, name) : null;
    }

    internal async Task<bool> RenewAsync(string name)
    {
        await using var db = await connections.OpenAsync();
        return await db.ExecuteAsync(
            "UPDATE job_leases SET lease_until = @Until WHERE name = @Name AND holder = @Holder",
            new { Name = name, Holder = Holder + ":" + name, Until = Of(clock.GetUtcNow() + Lifetime) }) == 1;
    }

    internal async Task ReleaseAsync(string name)
    {
        await using var db = await connections.OpenAsync();
        await db.ExecuteAsync("DELETE FROM job_leases WHERE name = @Name AND holder = @Holder", new { Name = name, Holder = Holder + ":" + name });
    }

    internal void Warn(string name, Exception? e) =>
        logger.LogWarning(e, "The lease {Lease} could not be renewed; the run stops so that no other run overlaps it", name);

    private static string Of(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A held lease: renewed in the background until disposed; <see cref="Lost"/> fires if a renewal fails.</summary>
public sealed class JobLease : IAsyncDisposable
{
    private readonly JobLeases _leases;
    private readonly string _name;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    internal JobLease(JobLeases leases, string name)
    {
        _leases = leases;
        _name = name;
        _renewing = RenewAsync();
    }

    /// <summary>Cancelled when the lease could not be renewed: stop before another run starts.</summary>
    public CancellationToken Lost => _lost.Token;

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(JobLeases.Renewal);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                bool renewed;
                Exception? error = null;
                try
                {
                    renewed = await _leases.RenewAsync(_name);
                }
                catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
                {
                    renewed = false;
                    error = e;
                }
                if (!renewed)
                {
                    _leases.Warn(_name, error);
                    await _lost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: the lease is released below.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        await _leases.ReleaseAsync(_name);
        _stop.Dispose();
        _lost.Dispose();
    }
}
