import BerthCommands

await BerthCommand.runAsync()
