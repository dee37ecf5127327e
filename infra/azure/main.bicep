// OrleansNodes on Azure Container Apps, storage profile "azure": Orleans membership and
// reminders in Azure Table storage, node state in Azure Blob storage, reached with a
// user-assigned managed identity (the account allows no shared keys).
//
// Topology, and why: Orleans silos must reach each other, and clients must reach gateways,
// over direct TCP at an address each silo advertises. Container Apps gives no documented,
// stable address to each replica of one app, so (as in the Orleans repository's own Container
// Apps sample) every silo is its own one-replica Container App whose TCP ingress exposes
// silo, gateway and dashboard ports unique in the environment; every silo advertises the
// environment's private static IP with its own ports. The environment is internal to a virtual network, so none of
// these ports, nor the dashboards, are reachable from the internet. docs/deploy-azure.md.
//
//   az deployment group create -g RG -f infra/azure/main.bicep \
//     -p siloImage=ACR.azurecr.io/orleansnodes-silo:TAG registryName=ACR dashboardUsername=admin dashboardPassword=...

targetScope = 'resourceGroup'

@description('Prefix of every resource name.')
@minLength(3)
@maxLength(12)
param baseName string = 'orleansnodes'

param location string = resourceGroup().location

@description('The silo image, e.g. myregistry.azurecr.io/orleansnodes-silo:1.0 (built from infra/docker/silo.Dockerfile).')
param siloImage string

@description('Name of an Azure Container Registry in this resource group holding siloImage: the silo identity gets AcrPull on it. Empty for an image anonymous pulls can reach.')
param registryName string = ''

@description('Number of silos: one Container App each. Three keep a majority when one is lost.')
@minValue(1)
@maxValue(20)
param siloCount int = 3

@description('Orleans cluster id: silos with the same id and storage form one cluster.')
param clusterId string = 'orleansnodes'

@description('Orleans service id: names the stored state, so keep it across deployments.')
param serviceId string = 'orleansnodes'

@description('User name for the dashboard and /status (HTTP basic authentication); stored as a Container App secret.')
@secure()
param dashboardUsername string

@description('Password for the dashboard and /status; stored as a Container App secret.')
@secure()
@minLength(12)
param dashboardPassword string

@description('Storage redundancy: zone-redundant by default; Standard_LRS where the region has no zones.')
@allowed(['Standard_ZRS', 'Standard_LRS', 'Standard_GZRS'])
param storageSku string = 'Standard_ZRS'

@description('Address space of the virtual network the environment is internal to.')
param virtualNetworkPrefix string = '10.60.0.0/23'

@description('Subnet delegated to the Container Apps environment (at least /27 for workload profiles).')
param infrastructureSubnetPrefix string = '10.60.0.0/27'

// Built-in roles: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var suffix = uniqueString(resourceGroup().id, baseName)

resource logs 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: '${baseName}-logs'
  location: location
  properties: {
    retentionInDays: 30
    sku: {
      name: 'PerGB2018'
    }
  }
}

resource network 'Microsoft.Network/virtualNetworks@2025-07-01' = {
  name: '${baseName}-vnet'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [virtualNetworkPrefix]
    }
    subnets: [
      {
        name: 'container-apps'
        properties: {
          addressPrefix: infrastructureSubnetPrefix
          delegations: [
            {
              name: 'container-apps'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
    ]
  }
}

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: '${baseName}-env'
  location: location
  properties: {
    // Container logs go to Log Analytics through diagnostic settings, so no workspace key
    // is copied into the environment.
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    vnetConfiguration: {
      infrastructureSubnetId: network.properties.subnets[0].id
      internal: true
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs'
  scope: environment
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'ContainerAppConsoleLogs'
        enabled: true
      }
      {
        category: 'ContainerAppSystemLogs'
        enabled: true
      }
    ]
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: take('${replace(baseName, '-', '')}${suffix}', 24)
  location: location
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: storage
  name: 'default'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${baseName}-silo'
  location: location
}

resource tableAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource blobAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = if (!empty(registryName)) {
  name: empty(registryName) ? 'unused' : registryName
}

resource registryAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(registryName)) {
  name: guid(resourceGroup().id, registryName, identity.id, acrPull)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Silo i listens on, and advertises, silo port 11111+i and gateway port 30000+i; its
// dashboard is exposed on 8080+i (the container itself always serves HTTP on 8080).
module silos 'modules/silo-app.bicep' = [
  for i in range(0, siloCount): {
    name: 'silo-${i}'
    params: {
      name: '${baseName}-silo-${i}'
      location: location
      environmentId: environment.id
      advertisedAddress: environment.properties.staticIp
      siloPort: 11111 + i
      gatewayPort: 30000 + i
      dashboardExposedPort: 8080 + i
      image: siloImage
      registryServer: empty(registryName) ? '' : registry!.properties.loginServer
      identityId: identity.id
      identityClientId: identity.properties.clientId
      storageAccountName: storage.name
      clusterId: clusterId
      serviceId: serviceId
      dashboardUsername: dashboardUsername
      dashboardPassword: dashboardPassword
    }
    // Silos start only once their identity may read and write the storage they cluster on.
    dependsOn: [
      tableAccess
      blobAccess
      registryAccess
      blobs
      tables
    ]
  }
]

@description('The private IP every silo advertises; gateways are STATIC_IP:30000..30000+siloCount-1.')
output environmentStaticIp string = environment.properties.staticIp
output storageAccountName string = storage.name
output siloIdentityClientId string = identity.properties.clientId
output siloApps array = [for i in range(0, siloCount): silos[i].outputs.name]
