import ISMSCommands
import Foundation

exit(ISMSCommand.run(Array(CommandLine.arguments.dropFirst())))
