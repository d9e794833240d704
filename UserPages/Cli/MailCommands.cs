using System.CommandLine;
using System.Globalization;
using UserPages.Data;

namespace UserPages.Cli;

/// <summary><c>mail queue</c> and <c>mail retry-dead</c>: the outbox, for an operator.</summary>
internal static class MailCommands
{
    public static Command Create(Option<bool> verbose)
    {
        var queue = new Command("queue", "Show the mail outbox: due, being sent, waiting to retry, dead, and the oldest unsent message's age.");
        queue.SetAction((parse, ct) => CommandLine.GuardAsync("mail queue", parse.GetValue(verbose), app => ShowAsync(app.Services.GetRequiredService<MailOutbox>(), ct)));

        var retryDead = new Command("retry-dead", "Make every dead message due again, with a fresh day of retries.");
        retryDead.SetAction((parse, ct) => CommandLine.GuardAsync("mail retry-dead", parse.GetValue(verbose), async app =>
        {
            var requeued = await app.Services.GetRequiredService<MailOutbox>().RequeueDeadAsync(ct);
            Console.WriteLine($"{requeued} dead message(s) are due again.");
            return 0;
        }));

        return new Command("mail", "The mail outbox.") { queue, retryDead };
    }

    private static async Task<int> ShowAsync(MailOutbox outbox, CancellationToken cancellationToken)
    {
        var backlog = await outbox.ReadBacklogAsync(cancellationToken);
        Console.WriteLine($"Due:      {backlog.Due}");
        Console.WriteLine($"Sending:  {backlog.Sending}");
        Console.WriteLine($"Retrying: {backlog.Retrying}");
        Console.WriteLine($"Dead:     {backlog.Dead}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Oldest unsent: {backlog.OldestUnsentAge.TotalSeconds:0} s"));
        return 0;
    }
}
