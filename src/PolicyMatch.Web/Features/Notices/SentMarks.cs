using System.Threading.Channels;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// Group commit of "sent" marks for one dispatch run: each send that the SMTP server accepted waits here
/// until its row is marked, and one writer marks every send that arrived meanwhile in one transaction.
/// A send keeps its place among the sends in flight until its mark is committed, so the bound on
/// emails that a crash can send twice stays <see cref="NoticesOptions.DispatchParallelism"/>; what
/// changes is one commit per batch instead of one per email, the largest cost per email on SQLite.
/// </summary>
internal sealed class SentMarks : IAsyncDisposable
{
    private readonly Channel<(ClaimedDelivery Delivery, DateTimeOffset At, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(ClaimedDelivery, DateTimeOffset, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Task _writer;

    /// <param name="write">The dispatcher's writer lock, held while a batch is written.</param>
    public SentMarks(DeliveryQueue queue, SemaphoreSlim write) => _writer = WriteAsync(queue, write);

    /// <summary>Completes when the send is recorded as sent (or fails with the write's error).</summary>
    public Task MarkAsync(ClaimedDelivery delivery, DateTimeOffset at)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((delivery, at, done)))
        {
            done.SetException(new InvalidOperationException("the dispatch run has ended"));
        }
        return done.Task;
    }

    private async Task WriteAsync(DeliveryQueue queue, SemaphoreSlim write)
    {
        var batch = new List<(ClaimedDelivery Delivery, DateTimeOffset At, TaskCompletionSource Done)>();
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (_queue.Reader.TryRead(out var mark))
            {
                batch.Add(mark);
            }
            await write.WaitAsync(CancellationToken.None);
            try
            {
                // Marks are written even when the host is stopping: their emails have been sent.
                await queue.MarkSentAsync(batch.Select(m => (m.Delivery, m.At)).ToList(), CancellationToken.None);
                batch.ForEach(m => m.Done.SetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(m => m.Done.SetException(e));
            }
            finally
            {
                write.Release();
            }
        }
    }

    /// <summary>Writes what is queued and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }
}
