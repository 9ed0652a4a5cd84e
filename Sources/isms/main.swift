import Foundation
import ISMSCommands

exit(ISMSCommand.run(Array(CommandLine.arguments.dropFirst())))
