// One silo: a Container App with exactly one replica. A second replica would advertise the
// same address and ports as the first (Orleans would see two silos claiming one endpoint), so
// the replica count is pinned; add silos by adding apps (main.bicep's siloCount).

param name string
param location string
param environmentId string

@description('The IP other silos and clients reach this silo at: the environment\'s private static IP.')
param advertisedAddress string

@description('Silo-to-silo port, listened on and exposed under the same number (unique in the environment).')
param siloPort int

@description('Client gateway port, listened on and exposed under the same number (unique in the environment).')
param gatewayPort int

@description('Port under which the environment exposes this silo\'s HTTP port 8080 (dashboard, /status).')
param dashboardExposedPort int

param image string
param registryServer string
param identityId string
param identityClientId string
param storageAccountName string
param clusterId string
param serviceId string
@secure()
param dashboardUsername string

@secure()
param dashboardPassword string

var httpPort = 8080

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: name
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      // TCP ingress: Orleans speaks its own protocol on the silo and gateway ports, and the
      // dashboard's HTTP rides on a third TCP mapping. "external" means reachable from the
      // environment's virtual network; the environment itself is internal.
      ingress: {
        external: true
        transport: 'tcp'
        targetPort: siloPort
        exposedPort: siloPort
        additionalPortMappings: [
          {
            external: true
            targetPort: gatewayPort
            exposedPort: gatewayPort
          }
          {
            external: true
            targetPort: httpPort
            exposedPort: dashboardExposedPort
          }
        ]
      }
      secrets: [
        {
          name: 'dashboard-username'
          value: dashboardUsername
        }
        {
          name: 'dashboard-password'
          value: dashboardPassword
        }
      ]
      registries: empty(registryServer)
        ? []
        : [
            {
              server: registryServer
              identity: identityId
            }
          ]
    }
    template: {
      terminationGracePeriodSeconds: 60
      containers: [
        {
          name: 'silo'
          image: image
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            { name: 'ORLEANSNODES__STORAGE', value: 'azure' }
            { name: 'ORLEANSNODES__AZURESTORAGE__ACCOUNTNAME', value: storageAccountName }
            { name: 'ORLEANSNODES__AZURESTORAGE__MANAGEDIDENTITYCLIENTID', value: identityClientId }
            { name: 'ORLEANSNODES__ADVERTISEDADDRESS', value: advertisedAddress }
            { name: 'ORLEANSNODES__SILOPORT', value: string(siloPort) }
            { name: 'ORLEANSNODES__GATEWAYPORT', value: string(gatewayPort) }
            { name: 'ORLEANSNODES__URL', value: 'http://0.0.0.0:${httpPort}' }
            { name: 'ORLEANSNODES__CLUSTERID', value: clusterId }
            { name: 'ORLEANSNODES__SERVICEID', value: serviceId }
            { name: 'ORLEANSNODES__DASHBOARD__USERNAME', secretRef: 'dashboard-username' }
            { name: 'ORLEANSNODES__DASHBOARD__PASSWORD', secretRef: 'dashboard-password' }
          ]
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/healthz/live'
                port: httpPort
              }
              periodSeconds: 2
              failureThreshold: 60
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz/live'
                port: httpPort
              }
              periodSeconds: 10
              timeoutSeconds: 3
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/healthz/ready'
                port: httpPort
              }
              periodSeconds: 5
              timeoutSeconds: 3
              failureThreshold: 2
            }
          ]
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: 1
      }
    }
  }
}

output name string = app.name
