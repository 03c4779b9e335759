using Zakaz.Cli;

return await ZakazCli.RunAsync(args, Console.Out, Console.Error);
