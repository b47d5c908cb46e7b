using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using PolicyMatch.Web.Features.Notices.Email;
using PolicyMatch.Web.Infrastructure.Mail;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>What one dispatch run did; <see cref="More"/>: it stopped at its time limit with email still due.</summary>
public sealed record DispatchReport(int Recovered, int Skipped, int Sent, int Retrying, int Failed, bool Paused, bool More = false);

/// <summary>
/// Sends the pending email deliveries: claims them in small batches (pending → sending, attempt stamp,
/// lease), sends with <see cref="NoticesOptions.DispatchParallelism"/> SMTP calls in flight, and records
/// each result when its SMTP call returns — sent (group-committed with the other sends that returned
/// meanwhile, see <see cref="SentMarks"/>; the send keeps its place in flight until its mark is written),
/// or pending again after an exponential backoff, or failed once its attempts are used up or the server
/// refused the recipient for good.
/// <para>
/// Never twice in normal operation: a delivery is sent only by the claim that moved it to 'sending',
/// and is marked sent only by that claim (same attempt stamp). Runs never overlap (a lock here, and
/// the job's lease, see NoticeJobs). If the process dies between an SMTP call returning and
/// the row being marked, the next run puts that row back to pending (see
/// <see cref="DeliveryQueue.RecoverAbandonedAsync"/>). So only rows left in 'sending' by the dead process
/// (at most <c>ClaimBatchSize + DispatchParallelism</c>) are sent again, and of those only the ones whose
/// SMTP call had been made can reach their recipient twice: at most <c>DispatchParallelism</c>.
/// </para>
/// </summary>
public sealed class DeliveryDispatcher(
    NoticeOutbox outbox, DeliveryQueue queue, IEmailSender sender, NoticeEmailRenderer renderer, IOptions<NoticesOptions> options,
    TimeProvider clock, ILogger<DeliveryDispatcher> logger)
{
    /// <summary>This process's name on its claims. A claim under another name belongs to a process that is gone.</summary>
    public static readonly string Runner = $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    private readonly SemaphoreSlim _run = new(1, 1);
    // One writer at a time from this process: SQLite has one write lock, and queueing here is cheaper
    // than its busy-retry sleeps when several SMTP calls return at once.
    private readonly SemaphoreSlim _write = new(1, 1);

    public async Task<DispatchReport> DispatchAsync(CancellationToken ct = default)
    {
        await _run.WaitAsync(ct);
        try
        {
            return await RunAsync(ct);
        }
        finally
        {
            _run.Release();
        }
    }

    /// <summary>What one run keeps while its sends are in flight.</summary>
    private sealed class Run
    {
        public ConcurrentDictionary<long, MessageRow> Messages { get; } = new();

        /// <summary>Claimed but not yet handed to SMTP: put back as they were when the run ends early.</summary>
        public ConcurrentDictionary<long, ClaimedDelivery> Unstarted { get; } = new();

        public System.Diagnostics.Stopwatch Time { get; } = System.Diagnostics.Stopwatch.StartNew();

        public int Sent, Retrying, Failed, FailuresInARow;

        /// <summary>The run stopped at its time limit with email still due (the job enqueues the next).</summary>
        public bool More;
    }

    private async Task<DispatchReport> RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        var recovered = await queue.RecoverAbandonedAsync(Runner, clock.GetUtcNow(), o.MaxAttempts, ct);
        if (recovered > 0)
        {
            logger.LogWarning("{Count} email deliveries were interrupted mid-send and go out again; each may reach its recipient twice", recovered);
        }
        var skipped = await queue.SkipUnsubscribedAsync(ct);
        var run = new Run();
        using var pause = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using var marks = new SentMarks(queue, _write);
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, o.DispatchParallelism), CancellationToken = pause.Token };
            await Parallel.ForEachAsync(ClaimsAsync(run, o, pause.Token), parallel, (delivery, _) => DeliverAsync(delivery, run, marks, pause, o));
        }
        catch (OperationCanceledException) when (pause.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Paused after a run of failures: the rest waits for the next run.
        }
        finally
        {
            // Claimed but never handed to SMTP (stopping, or paused): back to pending, the attempt not counted.
            await queue.ReleaseAsync(run.Unstarted.Values.ToList(), CancellationToken.None);
        }

        if (run.Sent + run.Retrying + run.Failed + skipped + recovered > 0)
        {
            logger.LogInformation("Dispatch: {Sent} sent, {Retrying} to retry, {Failed} failed, {Skipped} skipped (unsubscribed), {Recovered} recovered",
                run.Sent, run.Retrying, run.Failed, skipped, recovered);
        }
        return new DispatchReport(recovered, skipped, run.Sent, run.Retrying, run.Failed, pause.IsCancellationRequested && !ct.IsCancellationRequested, run.More);
    }

    /// <summary>Claims in batches (under the writer lock) until nothing is due or the run's time is up.</summary>
    private async IAsyncEnumerable<ClaimedDelivery> ClaimsAsync(Run run, NoticesOptions o, [EnumeratorCancellation] CancellationToken token = default)
    {
        while (!token.IsCancellationRequested)
        {
            if (run.Time.Elapsed >= o.DispatchRunTime)
            {
                // Bounded: the job ends here and the next one carries on.
                run.More = true;
                yield break;
            }
            IReadOnlyList<ClaimedDelivery> batch;
            await _write.WaitAsync(CancellationToken.None);
            try
            {
                batch = await queue.ClaimAsync(Runner, clock.GetUtcNow(), o.Lease, Math.Max(1, o.ClaimBatchSize), CancellationToken.None);
                foreach (var d in batch)
                {
                    run.Unstarted[d.Id] = d;
                }
            }
            finally
            {
                _write.Release();
            }
            if (batch.Count == 0)
            {
                yield break;
            }
            foreach (var d in batch)
            {
                yield return d;
            }
        }
    }

    /// <summary>One email: sent and marked (group-committed), or recorded as failed; pauses the run after too many failures in a row.</summary>
    private async ValueTask DeliverAsync(ClaimedDelivery delivery, Run run, SentMarks marks, CancellationTokenSource pause, NoticesOptions o)
    {
        run.Unstarted.TryRemove(delivery.Id, out _);
        // From here the SMTP call runs to its end even when the host is stopping: a send
        // cut off halfway is the one case where we cannot know whether it arrived.
        var error = await SendAsync(delivery, run.Messages, o);
        var now = clock.GetUtcNow();
        if (error is null)
        {
            await marks.MarkAsync(delivery, now);
            Interlocked.Increment(ref run.Sent);
            Interlocked.Exchange(ref run.FailuresInARow, 0);
            return;
        }
        await _write.WaitAsync(CancellationToken.None);
        try
        {
            var giveUp = error.Value.Permanent || delivery.Attempts >= o.MaxAttempts;
            await queue.MarkFailedAsync(delivery, error.Value.Text, giveUp ? null : now + Backoff(delivery.Attempts, o), CancellationToken.None);
            if (giveUp)
            {
                Interlocked.Increment(ref run.Failed);
            }
            else
            {
                Interlocked.Increment(ref run.Retrying);
            }
        }
        finally
        {
            _write.Release();
        }
        if (Interlocked.Increment(ref run.FailuresInARow) >= o.PauseAfterConsecutiveFailures && !pause.IsCancellationRequested)
        {
            logger.LogWarning("{Count} emails failed in a row (last: {Error}); pausing until the next run", run.FailuresInARow, error.Value.Text);
            await pause.CancelAsync();
        }
    }

    private async Task<(string Text, bool Permanent)?> SendAsync(ClaimedDelivery delivery, ConcurrentDictionary<long, MessageRow> messages, NoticesOptions o)
    {
        try
        {
            if (!messages.TryGetValue(delivery.MessageId, out var message))
            {
                message = await outbox.FindMessageAsync(delivery.MessageId)
                    ?? throw new InvalidOperationException($"message {delivery.MessageId} is gone");
                messages[delivery.MessageId] = message;
            }
            var email = await renderer.RenderAsync(message, delivery);
            using var timeout = new CancellationTokenSource(o.SendTimeout);
            await sender.SendAsync(email, timeout.Token);
            return null;
        }
        catch (Exception e)
        {
            // Recorded on the delivery (status, last_error) and shown on the jobs dashboard.
            return (Describe(e), IsPermanent(e));
        }
    }

    /// <summary>1×, 2×, 4×, 8× … the base delay after the 1st, 2nd, 3rd, 4th … failure, capped.</summary>
    public static TimeSpan Backoff(long attempts, NoticesOptions o)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(o.RetryBaseDelay.Ticks * factor, o.RetryMaxDelay.Ticks));
        return delay < o.RetryMaxDelay ? delay : o.RetryMaxDelay;
    }

    /// <summary>A 5xx refusal (of the recipient, say), or an address that cannot be used, will not change on retry.</summary>
    private static bool IsPermanent(Exception e) => e is EmailRejectedException or FormatException;

    private static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null && parts.Count < 4; x = x.InnerException)
        {
            parts.Add($"{x.GetType().Name}: {x.Message}");
        }
        var text = string.Join(" → ", parts);
        return text.Length <= 1000 ? text : text[..1000];
    }
}
