// Makes a managed identity the Microsoft Entra administrator of a PostgreSQL Flexible Server. A module
// because the administrator's resource name is the identity's object id, known only once the app
// (and its system-assigned identity) exists; a name must be known when its own template starts.
param serverName string
@description('Object id of the identity.')
param principalId string
@description('Name the identity signs in with (a system-assigned identity: its resource name).')
param principalName string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' existing = {
  name: serverName
}

resource admin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2022-12-01' = {
  parent: server
  name: principalId
  properties: {
    principalType: 'ServicePrincipal'
    principalName: principalName
    tenantId: subscription().tenantId
  }
}
